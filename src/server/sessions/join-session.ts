import type { Actor as AuthActor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { participantActor } from './session-access.js';
import { findSession, touchParticipant } from './session.repository.js';
import { runTransition, type TransitionResult } from './run-transition.js';
import { AppError } from '../errors.js';

/** T6 / T6b: a participant enters the room; the second one to join makes the session live. */
export async function joinSession(ctx: Ctx, viewer: AuthActor, sessionId: string): Promise<TransitionResult> {
  const session = await findSession(ctx.db, sessionId);
  if (!session) throw new AppError('NOT_FOUND', 'No such session');
  const result = await runTransition(ctx, sessionId, { type: 'join' }, participantActor(session, viewer));
  if (result.eventId === null) await touchParticipant(ctx.db, sessionId, viewer.id, ctx.clock.now());
  return result;
}
