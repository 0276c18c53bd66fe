import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { SessionRow } from '../db/schema.js';
import { firstFailingRule } from './eligibility.js';
import { loadAcceptContext } from './session.repository.js';

/**
 * Whether a mechanic may look at this request as one it is offered to: it is pending and they
 * are eligible for it now (domain.md §5, "pending sessions are visible … to mechanics eligible for
 * them"). The same eight rules as the queue and accept, so what the card shows and what the
 * mechanic may open always agree.
 */
export async function isOfferedTo(ctx: Ctx, viewer: Actor, session: SessionRow): Promise<boolean> {
  if (viewer.role !== 'mechanic' || session.status !== 'pending') return false;
  const context = await loadAcceptContext(ctx.db, viewer.id, session.id, session.plan, { lock: false });
  const standing = {
    role: viewer.role,
    mechanic: context.mechanic ?? null,
    hasActiveSession: context.hasActiveSession,
  };
  const offer = { ...session, requiredTier: context.requiredTier, releasedByMechanic: context.releasedBefore };
  return firstFailingRule(viewer.id, standing, offer, ctx.clock.now(), ctx.windows.exclusiveSeconds) === null;
}
