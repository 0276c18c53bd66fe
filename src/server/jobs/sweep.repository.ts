import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { OPEN_STATUSES } from '../../shared/domain.js';
import type { Executor } from '../db/client.js';
import { sessionParticipants, sessions } from '../db/schema.js';

/** The sweeper's queries: what is due, what needs a warning, what was abandoned. */

/** Open sessions whose deadline has passed: the sweeper's work list. */
export async function findDue(ex: Executor, now: Date, limit: number): Promise<string[]> {
  const rows = await ex
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(inArray(sessions.status, [...OPEN_STATUSES]), lte(sessions.deadlineAt, now)))
    .orderBy(asc(sessions.deadlineAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** No warning at this level yet: warnings go 5 then 1, so a lower level already sent covers it. */
const notWarnedAt = (minutes: number) =>
  sql`(${sessions.timerWarnedMinutes} IS NULL OR ${sessions.timerWarnedMinutes} > ${minutes})`;

/** Live sessions whose countdown is within `minutes` of zero (and not yet over) and not yet warned at that level. */
export async function findDueWarnings(ex: Executor, now: Date, minutes: number, limit: number): Promise<string[]> {
  const at = now.toISOString();
  const rows = await ex
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      and(
        eq(sessions.status, 'live'),
        sql`${sessions.startedAt} + (${sessions.plannedMinutes} + ${sessions.extendedMinutes}) * interval '1 minute'
          BETWEEN ${at}::timestamptz AND ${at}::timestamptz + ${minutes} * interval '1 minute'`,
        notWarnedAt(minutes),
      ),
    )
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Compare-and-set: true for exactly one caller per (session, level), whatever the process. */
export async function claimWarning(ex: Executor, sessionId: string, minutes: number) {
  const [row] = await ex
    .update(sessions)
    .set({ timerWarnedMinutes: minutes })
    .where(and(eq(sessions.id, sessionId), eq(sessions.status, 'live'), notWarnedAt(minutes)))
    .returning({ status: sessions.status });
  return row;
}

/** Live sessions where neither participant has been seen since `cutoff`. */
export async function findAbandoned(ex: Executor, cutoff: Date, limit: number): Promise<string[]> {
  const rows = await ex
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      and(
        eq(sessions.status, 'live'),
        sql`NOT EXISTS (SELECT 1 FROM ${sessionParticipants} p WHERE p.session_id = ${sessions.id}
          AND p.last_seen_at > ${cutoff.toISOString()}::timestamptz)`,
      ),
    )
    .limit(limit);
  return rows.map((r) => r.id);
}
