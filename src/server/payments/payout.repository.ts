import { and, desc, eq, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../db/client.js';
import { payouts, type PayoutRow } from '../db/schema.js';

/** The only module with SQL about payouts and mechanics' ledger accounts. */

/** What each mechanic's account owed them for everything booked before `before` (positive: owed). */
export async function mechanicBalances(
  ex: Executor,
  before: Date,
): Promise<{ mechanicId: string; balanceCents: number; currency: string }[]> {
  const rows = await queryRows<{ mechanic_id: string; balance: string | number; currency: string }>(
    ex,
    sql`SELECT substring(account from 10)::uuid AS mechanic_id, -sum(amount_cents) AS balance, min(currency) AS currency
        FROM ledger_entries WHERE account LIKE 'mechanic:%' AND created_at < ${before.toISOString()}::timestamptz
        GROUP BY account`,
  );
  return rows.map((r) => ({ mechanicId: r.mechanic_id, balanceCents: Number(r.balance), currency: r.currency }));
}

/** The mechanic's share of payments under an open dispute: held out of payouts until resolved. */
export async function heldByDisputes(ex: Executor): Promise<Map<string, number>> {
  const rows = await queryRows<{ mechanic_id: string; held: string | number }>(
    ex,
    sql`SELECT substring(e.account from 10)::uuid AS mechanic_id, -sum(e.amount_cents) AS held
        FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE e.account LIKE 'mechanic:%'
          AND t.payment_id IN (SELECT payment_id FROM disputes WHERE status = 'open')
        GROUP BY e.account`,
  );
  return new Map(rows.map((r) => [r.mechanic_id, Math.max(0, Number(r.held))]));
}

export async function insertPayout(
  ex: Executor,
  row: Pick<
    PayoutRow,
    'mechanicId' | 'periodStart' | 'periodEnd' | 'amountCents' | 'currency' | 'status' | 'provider'
  > & { createdAt: Date },
): Promise<PayoutRow | undefined> {
  const [inserted] = await ex
    .insert(payouts)
    .values({ ...row, updatedAt: row.createdAt })
    .onConflictDoNothing({ target: [payouts.mechanicId, payouts.periodEnd] })
    .returning();
  return inserted;
}

export async function findPayout(ex: Executor, id: string): Promise<PayoutRow | undefined> {
  const [row] = await ex.select().from(payouts).where(eq(payouts.id, id));
  return row;
}

export async function finishPayout(
  ex: Executor,
  id: string,
  change: Partial<Pick<PayoutRow, 'status' | 'providerRef' | 'failure'>>,
  now: Date,
): Promise<PayoutRow | undefined> {
  const [row] = await ex
    .update(payouts)
    .set({ ...change, updatedAt: now })
    .where(and(eq(payouts.id, id), eq(payouts.status, 'paying')))
    .returning();
  return row;
}

export async function listPayouts(ex: Executor, filter: { mechanicId?: string; limit: number }): Promise<PayoutRow[]> {
  return ex
    .select()
    .from(payouts)
    .where(filter.mechanicId ? eq(payouts.mechanicId, filter.mechanicId) : undefined)
    .orderBy(desc(payouts.periodEnd), desc(payouts.createdAt))
    .limit(filter.limit);
}

export type StatementLine = {
  at: Date;
  kind: string;
  reference: string;
  sessionId: string | null;
  /** Positive: credited to the mechanic; negative: a reversal or a payout. */
  amountCents: number;
  currency: string;
};

/** Every booking on a mechanic's account, oldest first (their statement). */
export async function statementOf(ex: Executor, mechanicId: string): Promise<StatementLine[]> {
  const rows = await queryRows<{
    at: string | Date;
    kind: string;
    reference: string;
    session_id: string | null;
    amount: string | number;
    currency: string;
  }>(
    ex,
    sql`SELECT e.created_at AS at, t.kind, t.reference, t.session_id, -e.amount_cents AS amount, e.currency
        FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE e.account = ${`mechanic:${mechanicId}`} ORDER BY e.id`,
  );
  return rows.map((r) => ({
    at: new Date(r.at),
    kind: r.kind,
    reference: r.reference,
    sessionId: r.session_id,
    amountCents: Number(r.amount),
    currency: r.currency,
  }));
}

/**
 * The payout a session's earnings were paid in: the mechanic's first payout (paying or paid) of
 * a period that ended after the session's first booking.
 */
export async function payoutOfSession(ex: Executor, sessionId: string, mechanicId: string): Promise<string | null> {
  const rows = await queryRows<{ id: string }>(
    ex,
    sql`SELECT p.id FROM payouts p
        WHERE p.mechanic_id = ${mechanicId}::uuid AND p.status IN ('paying', 'paid')
          AND p.period_end > (SELECT min(t.created_at) FROM ledger_transactions t
                              WHERE t.session_id = ${sessionId}::uuid AND t.kind IN ('capture', 'extension'))
        ORDER BY p.period_end LIMIT 1`,
  );
  return rows[0]?.id ?? null;
}
