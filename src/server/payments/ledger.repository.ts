import { eq, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../db/client.js';
import { ledgerEntries, ledgerTransactions } from '../db/schema.js';

/** The only module with SQL about the ledger (decision 009: its sign convention and its rules). */

export type Entry = { account: string; amountCents: number };

export const ACCOUNTS = {
  provider: 'provider',
  platformRevenue: 'platform_revenue',
  payouts: 'payouts',
  mechanic: (userId: string) => `mechanic:${userId}`,
} as const;

/**
 * Writes one ledger transaction, once per reference: returns false (and writes nothing) when the
 * reference was written before — a job that runs twice books once. The entries must sum to zero;
 * the database checks it at commit.
 */
export async function recordTransaction(
  ex: Executor,
  input: {
    reference: string;
    kind: string;
    paymentId: string | null;
    sessionId: string | null;
    currency: string;
    entries: Entry[];
    at: Date;
  },
): Promise<boolean> {
  const entries = input.entries.filter((e) => e.amountCents !== 0);
  const [row] = await ex
    .insert(ledgerTransactions)
    .values({
      reference: input.reference,
      kind: input.kind,
      paymentId: input.paymentId,
      sessionId: input.sessionId,
      createdAt: input.at,
    })
    .onConflictDoNothing({ target: ledgerTransactions.reference })
    .returning({ id: ledgerTransactions.id });
  if (!row) return false;
  if (entries.length > 0) {
    await ex.insert(ledgerEntries).values(
      entries.map((e) => ({
        transactionId: row.id,
        account: e.account,
        amountCents: e.amountCents,
        currency: input.currency,
        createdAt: input.at,
      })),
    );
  }
  return true;
}

/** A session's entries by account (its money view). */
export async function sessionBalances(ex: Executor, sessionId: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ account: string; total: string | number }>(
    ex,
    sql`SELECT e.account, sum(e.amount_cents) AS total FROM ${ledgerEntries} e
        JOIN ${ledgerTransactions} t ON t.id = e.transaction_id
        WHERE t.session_id = ${sessionId}::uuid GROUP BY e.account`,
  );
  return new Map(rows.map((r) => [r.account, Number(r.total)]));
}

/** Every transaction of a payment with its entries (the admin's story of a payment). */
export async function paymentLedger(ex: Executor, paymentId: string) {
  const rows = await ex
    .select({ transaction: ledgerTransactions, entry: ledgerEntries })
    .from(ledgerTransactions)
    .innerJoin(ledgerEntries, eq(ledgerEntries.transactionId, ledgerTransactions.id))
    .where(eq(ledgerTransactions.paymentId, paymentId))
    .orderBy(ledgerTransactions.id, ledgerEntries.id);
  return rows;
}
