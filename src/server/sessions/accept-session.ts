import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { firstFailingRule } from './eligibility.js';
import { runTransition, type TransitionResult } from './run-transition.js';
import { loadAcceptContext } from './session.repository.js';

/**
 * T2: an eligible mechanic accepts a pending session. Eligibility is checked inside the
 * transition's transaction against the row just read; the compare-and-set then lets exactly one
 * of many concurrent accepts win, and the one-active-session-per-mechanic index stops one
 * mechanic from winning two sessions at once.
 */
export async function acceptSession(ctx: Ctx, viewer: Actor, sessionId: string): Promise<TransitionResult> {
  if (viewer.role !== 'mechanic') {
    throw new AppError('NOT_ELIGIBLE', 'Only mechanics accept sessions', { extra: { reason: 'NOT_A_MECHANIC' } });
  }
  const actor = { kind: 'mechanic', userId: viewer.id } as const;
  return runTransition(ctx, sessionId, { type: 'accept' }, actor, {
    guard: async ({ session }, now, tx) => {
      if (session.status !== 'pending') return; // the table answers ALREADY_TAKEN or SESSION_CLOSED
      const context = await loadAcceptContext(tx, viewer.id, sessionId, session.plan);
      const standing = {
        role: viewer.role,
        mechanic: context.mechanic ?? null,
        hasActiveSession: context.hasActiveSession,
      };
      const offer = { ...session, requiredTier: context.requiredTier, releasedByMechanic: context.releasedBefore };
      const code = firstFailingRule(viewer.id, standing, offer, now, ctx.windows.exclusiveSeconds);
      if (code) {
        throw new AppError('NOT_ELIGIBLE', `You are not eligible for this session (${code})`, {
          extra: { reason: code },
        });
      }
    },
  });
}
