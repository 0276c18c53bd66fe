import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { Executor } from '../db/client.js';
import { recordAdminAction } from '../audit/audit.repository.js';
import { runTransition, type TransitionResult } from './run-transition.js';

const pickState = (s: { status: string; endReason: string | null; endedBy: string | null; version: number }) => ({
  status: s.status,
  endReason: s.endReason,
  endedBy: s.endedBy,
  version: s.version,
});

/** More that must happen in the same transaction (another audited change, e.g. a suspension). */
export type AlongWith = {
  /** Runs first, before the session is read for the decision (take locks here, in a fixed order). */
  guard?: (tx: Executor) => Promise<void>;
  onWrite?: (tx: Executor, now: Date) => Promise<void>;
};

/** T13: an admin ends an open session, with a reason, audited in the same transaction. */
export async function forceEndSession(
  ctx: Ctx,
  admin: Actor,
  sessionId: string,
  reason: string,
  along: AlongWith = {},
): Promise<TransitionResult> {
  return runTransition(
    ctx,
    sessionId,
    { type: 'force_end', reason },
    { kind: 'admin', userId: admin.id },
    {
      guard: along.guard ? (_loaded, _now, tx) => along.guard!(tx) : undefined,
      onWrite: async (tx, before, after, now) => {
        await recordAdminAction(tx, {
          adminId: admin.id,
          action: 'session.force_end',
          targetType: 'session',
          targetId: sessionId,
          reason,
          before: pickState(before),
          after: pickState(after),
          at: now,
        });
        await along.onWrite?.(tx, now);
      },
    },
  );
}
