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

/** Session events after `after`, as the notices their trigger sent: the bus's catch-up after a gap. */
export async function noticesAfter(ex: Executor, after: number, limit: number) {
  const rows = await ex
    .select({
      id: sessionEvents.id,
      sessionId: sessionEvents.sessionId,
      type: sessionEvents.type,
      payload: sessionEvents.payload,
    })
    .from(sessionEvents)
    .where(gt(sessionEvents.id, after))
    .orderBy(asc(sessionEvents.id))
    .limit(limit);
  return rows.map((row) => ({
    kind: 'session' as const,
    sessionId: row.sessionId,
    eventId: Number(row.id),
    type: row.type,
    seq: typeof row.payload.seq === 'number' ? row.payload.seq : null,
  }));
}

export async function findEvent(ex: Executor, id: number) {
  const [row] = await ex.select().from(sessionEvents).where(eq(sessionEvents.id, id));
  return row;
}

/** Parks a WebRTC signal too large for a NOTIFY payload; the receiving process reads it by id. */
export async function insertRelay(ex: Executor, payload: unknown): Promise<number> {
  const [row] = await ex
    .insert(realtimeRelays)
    .values({ payload: payload as object })
    .returning({ id: realtimeRelays.id });
  return row!.id;
}

export async function findRelay(ex: Executor, id: number): Promise<unknown> {
  const [row] = await ex.select().from(realtimeRelays).where(eq(realtimeRelays.id, id));
  return row?.payload;
}
