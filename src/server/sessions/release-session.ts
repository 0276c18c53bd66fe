import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { runTransition, type TransitionResult } from './run-transition.js';
import { relationTo } from './session-access.js';

/** T5: the assigned mechanic hands an accepted session back to the queue. */
export async function releaseSession(ctx: Ctx, viewer: Actor, sessionId: string): Promise<TransitionResult> {
  return runTransition(
    ctx,
    sessionId,
    { type: 'release' },
    { kind: 'mechanic', userId: viewer.id },
    {
      guard: ({ session }) => {
        if (!relationTo(session, viewer)) throw new AppError('NOT_FOUND', 'No such session');
      },
    },
  );
}
