import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { sessionParticipants, type ParticipantRow } from '../db/schema.js';
import type { ParticipantEffect } from './lifecycle.types.js';

/** The only module with SQL about session participants: joins, presence, last seen. */

/** The participant rows as they are after `effect`, without reading them again. */
export function withParticipantEffect(
  participants: ParticipantRow[],
  sessionId: string,
  effect: ParticipantEffect,
  now: Date,
): ParticipantRow[] {
  switch (effect.type) {
    case 'add_mechanic':
      return [
        ...participants.filter((p) => p.userId !== effect.userId),
        {
          sessionId,
          userId: effect.userId,
          role: 'mechanic' as const,
          joinedAt: null,
          lastSeenAt: now,
          connected: false,
        },
      ].sort((a, b) => a.role.localeCompare(b.role));
    case 'remove_mechanic':
      return participants.filter((p) => p.userId !== effect.userId);
    case 'mark_joined':
      return participants.map((p) =>
        p.userId === effect.userId ? { ...p, joinedAt: p.joinedAt ?? now, lastSeenAt: now } : p,
      );
  }
}

export async function applyParticipantEffect(ex: Executor, sessionId: string, effect: ParticipantEffect, now: Date) {
  switch (effect.type) {
    case 'add_mechanic':
      await ex
        .insert(sessionParticipants)
        .values({
          sessionId,
          userId: effect.userId,
          role: 'mechanic',
          lastSeenAt: now,
        })
        .onConflictDoNothing();
      return;
    case 'remove_mechanic':
      await ex
        .delete(sessionParticipants)
        .where(and(eq(sessionParticipants.sessionId, sessionId), eq(sessionParticipants.userId, effect.userId)));
      return;
    case 'mark_joined':
      await ex
        .update(sessionParticipants)
        .set({
          joinedAt: sql`coalesce(${sessionParticipants.joinedAt}, ${now.toISOString()}::timestamptz)`,
          lastSeenAt: now,
        })
        .where(and(eq(sessionParticipants.sessionId, sessionId), eq(sessionParticipants.userId, effect.userId)));
      return;
  }
}

/** A participant's last_seen_at is written at most this often by their own requests. */
export const TOUCH_THROTTLE_SECONDS = 5;

/** Presence for the abandon rule; throttled so that chatty clients do not write on every call. */
export async function touchParticipant(ex: Executor, sessionId: string, userId: string, now: Date): Promise<void> {
  const threshold = new Date(now.getTime() - TOUCH_THROTTLE_SECONDS * 1000);
  await ex
    .update(sessionParticipants)
    .set({ lastSeenAt: now })
    .where(
      and(
        eq(sessionParticipants.sessionId, sessionId),
        eq(sessionParticipants.userId, userId),
        or(isNull(sessionParticipants.lastSeenAt), lt(sessionParticipants.lastSeenAt, threshold)),
      ),
    );
}

/** Presence heartbeat for many (session, user) pairs in one statement. */
export async function touchParticipants(ex: Executor, pairs: { sessionId: string; userId: string }[], now: Date) {
  if (pairs.length === 0) return;
  await ex.execute(sql`UPDATE ${sessionParticipants} SET last_seen_at = ${now.toISOString()}::timestamptz, connected = true
    WHERE (session_id, user_id) IN (
      SELECT * FROM unnest(${`{${pairs.map((p) => p.sessionId).join(',')}}`}::uuid[], ${`{${pairs.map((p) => p.userId).join(',')}}`}::uuid[])
    )`);
}

export async function setConnected(ex: Executor, sessionId: string, userId: string, connected: boolean, now: Date) {
  await ex
    .update(sessionParticipants)
    .set({ connected, lastSeenAt: now })
    .where(and(eq(sessionParticipants.sessionId, sessionId), eq(sessionParticipants.userId, userId)));
}
