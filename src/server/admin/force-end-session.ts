import type { Actor as AuthActor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { runTransition, type TransitionResult } from '../sessions/run-transition.js';
import { recordAdminAction } from './audit.js';

const pickState = (s: { status: string; endReason: string | null; endedBy: string | null; version: number }) => ({
  status: s.status,
  endReason: s.endReason,
  endedBy: s.endedBy,
  version: s.version,
});

/** T13: an admin ends an open session, with a reason, audited in the same transaction. */
export async function forceEndSession(
  ctx: Ctx,
  admin: AuthActor,
  sessionId: string,
  reason: string,
): Promise<TransitionResult> {
  return runTransition(
    ctx,
    sessionId,
    { type: 'force_end', reason },
    { kind: 'admin', userId: admin.id },
    {
      onWrite: (tx, before, after, now) =>
        recordAdminAction(tx, {
          adminId: admin.id,
          action: 'session.force_end',
          targetType: 'session',
          targetId: sessionId,
          reason,
          before: pickState(before),
          after: pickState(after),
          at: now,
        }),
    },
  );
}
