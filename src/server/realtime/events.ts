import type { RealtimeEvent } from '../../shared/realtime.js';
import type { Ctx } from '../context.js';
import type { SessionEventRow, SessionRow } from '../db/schema.js';
import { toMessageDto } from '../messages/message.dto.js';
import { findMessageBySeq } from '../messages/message.repository.js';
import { toSessionDto } from '../sessions/session.dto.js';
import { loadSession } from '../sessions/session.repository.js';

/** A committed row as the event clients receive, with the session row it was read from (if any). */
export type Delivered = { event: RealtimeEvent; session: SessionRow | null };

/**
 * Maps a committed `session_events` row to its realtime event: a message, a countdown warning, or
 * the session as it is now (every other event — transitions, a submitted report — is "the session
 * changed": clients re-read what they show from it).
 */
export async function eventFor(ctx: Ctx, row: SessionEventRow): Promise<Delivered | null> {
  if (row.type === 'message.created') {
    const message = await findMessageBySeq(ctx.db, row.sessionId, Number(row.payload.seq));
    return message ? { event: { kind: 'message.created', message: toMessageDto(message) }, session: null } : null;
  }
  if (row.type === 'timer.warning') {
    return { event: { kind: 'timer.warning', minutesLeft: Number(row.payload.minutesLeft) }, session: null };
  }
  const loaded = await loadSession(ctx.db, row.sessionId);
  if (!loaded) return null;
  return {
    event: { kind: 'session.updated', session: toSessionDto(loaded.session, loaded.participants) },
    session: loaded.session,
  };
}
