import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { participantActor } from './session-access.js';
import { runTransition, type TransitionResult } from './run-transition.js';

/**
 * T3, T7, T8, T10: a participant ends the session; the outcome follows the table. Ending what has
 * already ended writes nothing and says so (`alreadyEnded`), so double clicks and races are safe.
 */
export async function endSession(
  ctx: Ctx,
  viewer: Actor,
  sessionId: string,
  reason?: string,
): Promise<TransitionResult> {
  return runTransition(ctx, sessionId, { type: 'end', ...(reason ? { reason } : {}) }, (session) =>
    participantActor(session, viewer),
  );
}
