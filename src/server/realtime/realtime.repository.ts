import { and, asc, eq, gt, lte, max, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { realtimeRelays, sessionEvents, sessions } from '../db/schema.js';

/** SQL of the realtime layer: cursors and replay, all from `session_events`. */

export async function latestEventId(ex: Executor): Promise<number> {
  const [row] = await ex.select({ id: max(sessionEvents.id) }).from(sessionEvents);
  return Number(row?.id ?? 0);
}

export async function latestEventIdForSession(ex: Executor, sessionId: string): Promise<number> {
  const [row] = await ex
    .select({ id: max(sessionEvents.id) })
    .from(sessionEvents)
    .where(eq(sessionEvents.sessionId, sessionId));
  return Number(row?.id ?? 0);
}

const REPLAY_LIMIT = 1000;

export async function eventsForSession(ex: Executor, sessionId: string, after: number, upTo: number) {
  return ex
    .select()
    .from(sessionEvents)
    .where(and(eq(sessionEvents.sessionId, sessionId), gt(sessionEvents.id, after), lte(sessionEvents.id, upTo)))
    .orderBy(asc(sessionEvents.id))
    .limit(REPLAY_LIMIT);
}

/** Status-changing events of the user's own sessions after a cursor, for the `user` topic. */
export async function eventsForUser(ex: Executor, userId: string, after: number, upTo: number) {
  const rows = await ex
    .select({ event: sessionEvents })
    .from(sessionEvents)
    .innerJoin(sessions, eq(sessions.id, sessionEvents.sessionId))
    .where(
      and(
        or(eq(sessions.customerId, userId), eq(sessions.mechanicId, userId)),
        gt(sessionEvents.id, after),
        lte(sessionEvents.id, upTo),
        sql`${sessionEvents.type} <> 'message.created'`,
      ),
    )
    .orderBy(asc(sessionEvents.id))
    .limit(REPLAY_LIMIT);
  return rows.map((r) => r.event);
}

export async function deleteOldRelays(ex: Executor, before: Date): Promise<void> {
  await ex.delete(realtimeRelays).where(lte(realtimeRelays.createdAt, before));
}
