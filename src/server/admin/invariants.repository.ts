import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../db/client.js';

import { moneyQueries, type MoneyInvariant } from '../payments/money-invariants.repository.js';

/*
 * The invariants of domain.md §6 as set-based SQL over the whole database (or one session).
 * Each query returns the offending rows with a plain-language detail. Repairs are never made
 * here: the doctor only reports.
 */

type SessionInvariant = 'I1' | 'I2' | 'I3' | 'I4' | 'I5' | 'I6' | 'I7';

export type Violation = {
  invariant: SessionInvariant | MoneyInvariant;
  sessionId: string | null;
  detail: string;
};

/** The edges of the transition table that change status (domain.md §4). */
const EDGES = `('', 'pending'), ('pending', 'accepted'), ('pending', 'cancelled'), ('pending', 'expired'),
  ('accepted', 'pending'), ('accepted', 'live'), ('accepted', 'cancelled'), ('accepted', 'no_show'),
  ('live', 'completed')`;

type Row = { session_id: string | null; detail: string };

function queries(now: Date, staleAfterMs: number, only: string | undefined): Record<SessionInvariant, SQL> {
  const sessionFilter = (column: string) => (only ? sql`AND ${sql.raw(column)} = ${only}::uuid` : sql``);
  const stale = new Date(now.getTime() - staleAfterMs).toISOString();
  return {
    I1: sql`SELECT id AS session_id, 'status ' || status || ' but ' || concat_ws(', ',
          CASE WHEN status NOT IN ('pending','accepted','live','completed','cancelled','no_show','expired') THEN 'unknown status' END,
          CASE WHEN status IN ('accepted','live') AND mechanic_id IS NULL THEN 'no mechanic' END,
          CASE WHEN status IN ('live','completed') AND started_at IS NULL THEN 'no started_at' END,
          CASE WHEN status IN ('completed','cancelled','no_show','expired') AND ended_at IS NULL THEN 'no ended_at' END,
          CASE WHEN (status = 'no_show') <> (no_show_party IS NOT NULL) THEN 'no_show_party mismatch' END) AS detail
        FROM sessions
        WHERE (status NOT IN ('pending','accepted','live','completed','cancelled','no_show','expired')
          OR (status IN ('accepted','live') AND mechanic_id IS NULL)
          OR (status IN ('live','completed') AND started_at IS NULL)
          OR (status IN ('completed','cancelled','no_show','expired') AND ended_at IS NULL)
          OR ((status = 'no_show') <> (no_show_party IS NOT NULL))) ${sessionFilter('id')}`,
    I2: sql`SELECT id AS session_id, status || ' past its deadline ' || to_char(deadline_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS detail
        FROM sessions
        WHERE status IN ('pending','accepted','live') AND (deadline_at IS NULL OR deadline_at < ${stale}::timestamptz) ${sessionFilter('id')}`,
    I3: sql`SELECT NULL::uuid AS session_id, 'customer ' || customer_id || ' has ' || count(*) || ' open sessions' AS detail
          FROM sessions WHERE status IN ('pending','accepted','live') ${sessionFilter('id')} GROUP BY customer_id HAVING count(*) > 1
        UNION ALL
        SELECT NULL::uuid, 'mechanic ' || mechanic_id || ' has ' || count(*) || ' active sessions'
          FROM sessions WHERE status IN ('accepted','live') ${sessionFilter('id')} GROUP BY mechanic_id HAVING count(*) > 1`,
    I4: sql`SELECT s.id AS session_id, CASE
            WHEN m.user_id IS NULL THEN 'assigned to ' || coalesce(s.mechanic_id::text, 'nobody') || ', who is not a mechanic'
            WHEN m.approval_status <> 'approved' THEN 'mechanic ' || s.mechanic_id || ' is ' || m.approval_status
            ELSE 'mechanic ' || s.mechanic_id || ' has no participant row' END AS detail
        FROM sessions s LEFT JOIN mechanics m ON m.user_id = s.mechanic_id
        WHERE s.status IN ('accepted','live') ${sessionFilter('s.id')}
          AND (m.user_id IS NULL OR m.approval_status <> 'approved' OR NOT EXISTS (
            SELECT 1 FROM session_participants p WHERE p.session_id = s.id AND p.user_id = s.mechanic_id))`,
    I5: sql`WITH changes AS (
          SELECT session_id, id, coalesce(from_status, '') AS from_status, to_status,
                 coalesce(lag(to_status) OVER (PARTITION BY session_id ORDER BY id), '') AS previous,
                 row_number() OVER (PARTITION BY session_id ORDER BY id DESC) AS newest
          FROM session_events
          WHERE from_status IS DISTINCT FROM to_status ${sessionFilter('session_id')})
        SELECT session_id, 'event ' || id || ' goes ' || nullif(from_status, '') || ' → ' || to_status || ', which is not in the transition table' AS detail
          FROM changes WHERE (from_status, to_status) NOT IN (${sql.raw(EDGES)})
        UNION ALL
        SELECT session_id, 'event ' || id || ' starts from ' || coalesce(nullif(from_status, ''), 'nothing') || ' but the previous event ended in ' || coalesce(nullif(previous, ''), 'nothing')
          FROM changes WHERE from_status <> previous
        UNION ALL
        SELECT s.id, 'status is ' || s.status || ' but the latest event says ' || coalesce(c.to_status, 'nothing')
          FROM sessions s LEFT JOIN changes c ON c.session_id = s.id AND c.newest = 1
          WHERE s.status IS DISTINCT FROM c.to_status ${sessionFilter('s.id')}`,
    I6: sql`SELECT session_id, 'message seq runs ' || min(seq) || '..' || max(seq) || ' over ' || count(*) || ' messages' AS detail
        FROM messages WHERE true ${sessionFilter('session_id')}
        GROUP BY session_id HAVING min(seq) <> 1 OR max(seq) <> count(*)`,
    I7: sql`SELECT r.session_id, 'review on a ' || s.status || ' session' AS detail
          FROM reviews r JOIN sessions s ON s.id = r.session_id WHERE s.status <> 'completed' ${sessionFilter('s.id')}
        UNION ALL
        SELECT r.session_id, 'submitted report on a session that was never live'
          FROM reports r JOIN sessions s ON s.id = r.session_id
          WHERE r.status = 'submitted' AND s.started_at IS NULL ${sessionFilter('s.id')}`,
  };
}

export type InvariantOptions = {
  now: Date;
  /** I2's tolerance: one sweeper interval plus 60 s. */
  sweepIntervalMs: number;
  /** Check only the rows touching this session. */
  sessionId?: string;
  /** M3's no-show fee (NO_SHOW_FEE_PERCENT); 50 by default, as configured by default. */
  noShowFeePercent?: number;
};

export async function findViolations(ex: Executor, options: InvariantOptions): Promise<Violation[]> {
  const staleAfterMs = options.sweepIntervalMs + 60_000;
  const all = {
    ...queries(options.now, staleAfterMs, options.sessionId),
    ...moneyQueries({
      now: options.now,
      staleAfterMs,
      noShowFeePercent: options.noShowFeePercent ?? 50,
      sessionId: options.sessionId,
    }),
  };
  const violations: Violation[] = [];
  for (const [invariant, query] of Object.entries(all) as [Violation['invariant'], SQL][]) {
    const rows = await queryRows<Row>(ex, query);
    for (const row of rows) violations.push({ invariant, sessionId: row.session_id, detail: row.detail });
  }
  return violations;
}
