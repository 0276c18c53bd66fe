import { sql, type SQL } from 'drizzle-orm';
import { UNATTACHED_VOID_AFTER_MS } from './jobs.js';

/*
 * The money invariants of payments.md §6 as set-based SQL, beside the session invariants (the
 * doctor runs both). Each query returns the offending rows with a plain-language detail.
 */

export type MoneyInvariant = 'M1' | 'M2' | 'M3' | 'M4' | 'M5' | 'M6';

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
    M3: sql`WITH owed AS (
            SELECT p.id, s.id AS session_id, s.status, p.captured_cents,
              (CASE WHEN s.status = 'completed' THEN least(pl.price_cents, p.amount_cents)
                ELSE ${sql.raw(feeOf('least(pl.price_cents, p.amount_cents)', check.noShowFeePercent))} END)
              + (SELECT coalesce(sum(x.amount_cents), 0) FROM session_extensions x WHERE x.payment_id = p.id AND x.status = 'succeeded') AS cents
            FROM payments p JOIN sessions s ON s.id = p.session_id JOIN plans pl ON pl.slug = p.plan
            WHERE p.status IN ('captured', 'partially_refunded', 'refunded') ${only('s.id')})
          SELECT session_id, 'captured ' || captured_cents || ' but the ' || status || ' session owes ' || cents || ' (plan and extensions)' AS detail
            FROM owed WHERE captured_cents <> cents
        UNION ALL
        SELECT p.session_id, 'refunded ' || p.refunded_cents || ' of ' || p.captured_cents || ' captured' AS detail
          FROM payments p WHERE p.refunded_cents > p.captured_cents ${only('p.session_id')}
        UNION ALL
        SELECT p.session_id, 'the ledger books ' || booked.cents || ' charged but the payment says ' || p.captured_cents AS detail
          FROM payments p JOIN (
            SELECT t.payment_id, sum(e.amount_cents) AS cents FROM ledger_transactions t
            JOIN ledger_entries e ON e.transaction_id = t.id AND e.account = 'provider'
            WHERE t.kind IN ('capture', 'extension') GROUP BY t.payment_id) booked ON booked.payment_id = p.id
          WHERE booked.cents <> p.captured_cents ${only('p.session_id')}
        UNION ALL
        SELECT r.session_id, 'refunds of ' || r.refunded || ' but the payment says ' || p.refunded_cents AS detail
          FROM payments p JOIN (SELECT f.payment_id, s.id AS session_id, sum(f.amount_cents) AS refunded FROM refunds f
            JOIN payments q ON q.id = f.payment_id JOIN sessions s ON s.id = q.session_id
            WHERE f.status = 'succeeded' GROUP BY f.payment_id, s.id) r ON r.payment_id = p.id
          WHERE r.refunded <> p.refunded_cents ${only('r.session_id')}`,
    M4: sql`SELECT s.id AS session_id, s.extended_minutes || ' extended minutes but ' || coalesce(x.minutes, 0) || ' paid for' AS detail
        FROM sessions s LEFT JOIN (SELECT session_id, sum(minutes) AS minutes FROM session_extensions WHERE status = 'succeeded'
          GROUP BY session_id) x ON x.session_id = s.id
        WHERE s.extended_minutes <> coalesce(x.minutes, 0) ${only('s.id')}
        UNION ALL
        SELECT x.session_id, 'extension ' || x.id || ' succeeded without its ledger transaction' AS detail
          FROM session_extensions x WHERE x.status = 'succeeded' ${only('x.session_id')}
            AND NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.reference = 'extension:' || x.id)`,
    M5: sql`SELECT NULL::uuid AS session_id, 'payment ' || p.id || ' authorised at ' || p.authorized_at || ' is attached to no session' AS detail
          FROM payments p WHERE p.status = 'authorized' AND p.session_id IS NULL AND p.authorized_at < ${unattachedBefore}::timestamptz
            ${check.sessionId ? sql`AND false` : sql``}
        UNION ALL
        SELECT s.id, 'payment ' || p.id || ' is still authorised on a ' || s.status || ' session' AS detail
          FROM payments p JOIN sessions s ON s.id = p.session_id
          WHERE p.status = 'authorized' AND s.ended_at < ${stale}::timestamptz ${only('s.id')}`,
    // A mechanic's balance is credits minus reversals minus payouts: the payouts the ledger books
    // are exactly the payouts made (paying or paid), none missing, none twice. Not per session.
    M6: check.sessionId
      ? sql`SELECT NULL::uuid AS session_id, NULL AS detail WHERE false`
      : sql`WITH booked AS (
            SELECT substring(e.account from 10)::uuid AS mechanic_id,
              sum(e.amount_cents) FILTER (WHERE t.kind IN ('payout', 'payout_reversal')) AS paid
            FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
            WHERE e.account LIKE 'mechanic:%' GROUP BY e.account),
          made AS (SELECT mechanic_id, sum(amount_cents) AS paid FROM payouts
            WHERE status IN ('paying', 'paid') GROUP BY mechanic_id)
          SELECT NULL::uuid AS session_id,
            'mechanic ' || coalesce(b.mechanic_id, m.mechanic_id) || ': the ledger books ' || coalesce(b.paid, 0)
              || ' paid out but the payouts made are ' || coalesce(m.paid, 0) AS detail
          FROM booked b FULL JOIN made m ON m.mechanic_id = b.mechanic_id
          WHERE coalesce(b.paid, 0) <> coalesce(m.paid, 0)`,
  };
}
