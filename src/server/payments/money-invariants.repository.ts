import { sql, type SQL } from 'drizzle-orm';
import { UNATTACHED_VOID_AFTER_MS } from './jobs.js';

/*
 * The money invariants of payments.md §6 as set-based SQL, beside the session invariants (the
 * doctor runs both). Each query returns the offending rows with a plain-language detail.
 */

export type MoneyInvariant = 'M1' | 'M2' | 'M3' | 'M4' | 'M5';

export type MoneyCheck = {
  now: Date;
  /** How long after it was due a job may still be running: one sweep plus 60 s. */
  staleAfterMs: number;
  noShowFeePercent: number;
  sessionId?: string;
};

/** `percentOf` of money.ts, in SQL: half up, integers only. */
const feeOf = (price: string, percent: number) => `floor((${price} * ${percent} + 50) / 100)`;

export function moneyQueries(check: MoneyCheck): Record<MoneyInvariant, SQL> {
  const only = (column: string) => (check.sessionId ? sql`AND ${sql.raw(column)} = ${check.sessionId}::uuid` : sql``);
  const stale = new Date(check.now.getTime() - check.staleAfterMs).toISOString();
  const unattachedBefore = new Date(check.now.getTime() - UNATTACHED_VOID_AFTER_MS - check.staleAfterMs).toISOString();
  const captures = (payment: string) =>
    sql.raw(`(SELECT count(*) FROM ledger_transactions t WHERE t.payment_id = ${payment} AND t.kind = 'capture')`);
  return {
    M1: sql`SELECT t.session_id, 'ledger transaction ' || t.reference || ' sums to ' || sum(e.amount_cents) AS detail
        FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
        WHERE true ${only('t.session_id')}
        GROUP BY t.id, t.session_id, t.reference HAVING sum(e.amount_cents) <> 0`,
    M2: sql`SELECT s.id AS session_id, 'completed and paid, but ' || ${captures('p.id')} || ' captures (payment ' || p.status || ')' AS detail
          FROM sessions s JOIN payments p ON p.session_id = s.id
          WHERE s.status = 'completed' AND s.ended_at < ${stale}::timestamptz AND ${captures('p.id')} <> 1 ${only('s.id')}
        UNION ALL
        SELECT s.id, s.status || coalesce(' (' || s.no_show_party || ')', '') || ' but captured' AS detail
          FROM sessions s JOIN payments p ON p.session_id = s.id
          WHERE (s.status IN ('cancelled', 'expired') OR (s.status = 'no_show' AND s.no_show_party <> 'customer'))
            AND (${captures('p.id')} > 0 OR p.captured_cents > 0) ${only('s.id')}`,
    M3: sql`SELECT s.id AS session_id, 'captured ' || p.captured_cents || ' but the ' || s.status || ' session owes ' ||
            (CASE WHEN s.status = 'completed' THEN least(pl.price_cents, p.amount_cents) ELSE ${sql.raw(feeOf('least(pl.price_cents, p.amount_cents)', check.noShowFeePercent))} END) AS detail
          FROM payments p JOIN sessions s ON s.id = p.session_id JOIN plans pl ON pl.slug = p.plan
          WHERE p.status IN ('captured', 'partially_refunded', 'refunded') ${only('s.id')}
            AND p.captured_cents <> CASE WHEN s.status = 'completed' THEN least(pl.price_cents, p.amount_cents)
              ELSE ${sql.raw(feeOf('least(pl.price_cents, p.amount_cents)', check.noShowFeePercent))} END
        UNION ALL
        SELECT p.session_id, 'refunded ' || p.refunded_cents || ' of ' || p.captured_cents || ' captured' AS detail
          FROM payments p WHERE p.refunded_cents > p.captured_cents ${only('p.session_id')}
        UNION ALL
        SELECT t.session_id, 'the ledger books ' || e.amount_cents || ' for a capture of ' || p.captured_cents AS detail
          FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id AND e.account = 'provider'
          JOIN payments p ON p.id = t.payment_id
          WHERE t.kind = 'capture' AND e.amount_cents <> p.captured_cents ${only('t.session_id')}`,
    // No paid extensions exist yet (Money, part 2): every extended minute is unpaid.
    M4: sql`SELECT id AS session_id, extended_minutes || ' extended minutes without a paid extension' AS detail
        FROM sessions WHERE extended_minutes <> 0 ${only('id')}`,
    M5: sql`SELECT NULL::uuid AS session_id, 'payment ' || p.id || ' authorised at ' || p.authorized_at || ' is attached to no session' AS detail
          FROM payments p WHERE p.status = 'authorized' AND p.session_id IS NULL AND p.authorized_at < ${unattachedBefore}::timestamptz
            ${check.sessionId ? sql`AND false` : sql``}
        UNION ALL
        SELECT s.id, 'payment ' || p.id || ' is still authorised on a ' || s.status || ' session' AS detail
          FROM payments p JOIN sessions s ON s.id = p.session_id
          WHERE p.status = 'authorized' AND s.ended_at < ${stale}::timestamptz ${only('s.id')}`,
  };
}
