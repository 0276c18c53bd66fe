import type { Actor as AuthActor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { participantActor } from './session-access.js';
import { touchParticipant } from './session.repository.js';
import { runTransition, type TransitionResult } from './run-transition.js';

/** T6 / T6b: a participant enters the room; the second one to join makes the session live. */
export async function joinSession(ctx: Ctx, viewer: AuthActor, sessionId: string): Promise<TransitionResult> {
  const result = await runTransition(ctx, sessionId, { type: 'join' }, (session) => participantActor(session, viewer));
  // Coming back to a live room is no transition, but it is a sign of life for the abandon rule.
  if (result.eventId === null) await touchParticipant(ctx.db, sessionId, viewer.id, ctx.clock.now());
  return result;
}
