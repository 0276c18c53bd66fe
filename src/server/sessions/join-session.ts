import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { participantActor } from './session-access.js';
import { touchParticipant } from './participant.repository.js';
import { runTransition, type TransitionResult } from './run-transition.js';

/** T6 / T6b: a participant enters the room; the second one to join makes the session live. */
export async function joinSession(ctx: Ctx, viewer: Actor, sessionId: string): Promise<TransitionResult> {
  const result = await runTransition(ctx, sessionId, { type: 'join' }, (session) => participantActor(session, viewer));
  // Coming back to a live room is no transition, but it is a sign of life for the abandon rule.
  if (result.eventId === null) await touchParticipant(ctx.db, sessionId, viewer.id, ctx.clock.now());
  return result;
}
