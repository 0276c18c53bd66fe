import { findUserByEmail, findUserById, hasSignInMethod } from '../accounts/account.repository.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { toMechanicDto } from '../mechanics/mechanic.dto.js';
import { firstFailingRule, mechanicBlock, type EligibilityCode } from '../sessions/eligibility.js';
import { loadStanding } from '../sessions/list-queue.js';
import { toSessionDto } from '../sessions/session.dto.js';
import { findActiveAssignment, findParticipants, listPending } from '../sessions/session.repository.js';

/** What to do about each rule, in words for the console (the code stays in `blockedBy` / `hiddenBy`). */
const ADVICE: Record<EligibilityCode, string> = {
  NOT_A_MECHANIC:
    'This account is not a mechanic. To work as one, they apply from the Apply page with an account that has booked no sessions.',
  NOT_APPROVED: 'Their application is waiting: approve it on the Approvals page once their documents are checked.',
  ACCEPT_DISABLED:
    'An admin paused their accepting: choose “Allow accepting” on the Approvals page to let them take requests again.',
  OFF_SHIFT: 'They are off shift: they go on shift from their dashboard to see requests.',
  BUSY: 'They are in a session now; new requests appear in their queue once it ends.',
  TIER_REQUIRED: 'Full Diagnostic needs a workshop partner: add them to a workshop to see those requests.',
  OTHER_WORKSHOP: 'The customer asked for a different workshop, so only that workshop’s mechanics see the request.',
  RESERVED:
    'The customer asked for another mechanic; the request opens to everyone when that mechanic’s exclusive window ends.',
  RELEASED_BEFORE: 'They released that request before, so it is offered to other mechanics only.',
};

/** A suspended mechanic is blocked by the same rule as a pending one, but the remedy reads differently. */
const SUSPENDED_ADVICE =
  'They are suspended, or their application was declined: approve them on the Approvals page only if they may work again.';

/**
 * "Why can't this mechanic see requests?" in one answer: the auth user and the link to it, role,
 * approval, can-accept, shift, workshop and tier, active session, and for every pending session
 * whether it is visible and which eligibility rule hides it. Replaces `test-mechanic-flow`.
 */
export async function inspectMechanic(ctx: Ctx, by: { email?: string; userId?: string }) {
  const user = by.userId ? await findUserById(ctx.db, by.userId) : await findUserByEmail(ctx.db, by.email!);
  if (!user) throw new AppError('NOT_FOUND', 'No user with this email or id');
  const standing = await loadStanding(ctx.db, user.id, 'mechanic');
  const effective = { ...standing, role: user.role };
  const [canSignIn, active] = await Promise.all([
    hasSignInMethod(ctx.db, user.id),
    standing.mechanic ? findActiveAssignment(ctx.db, user.id) : Promise.resolve(undefined),
  ]);
  const now = ctx.clock.now();
  const pending = await listPending(ctx.db, user.id, 200);
  const queueVisibility = pending.map((session) => {
    const rule = firstFailingRule(user.id, effective, session, now, ctx.windows.exclusiveSeconds);
    return { sessionId: session.id, plan: session.plan, visible: rule === null, hiddenBy: rule };
  });
  const blockedBy = mechanicBlock(effective);
  const recommendations: string[] = [];
  if (user.banned) recommendations.push('The account is banned: it cannot sign in.');
  if (!canSignIn) {
    recommendations.push('No password or other sign-in method is linked to this account, so nobody can sign in to it.');
  }
  if (blockedBy) {
    const suspended = blockedBy === 'NOT_APPROVED' && standing.mechanic?.approvalStatus === 'suspended';
    const isAdmin = blockedBy === 'NOT_A_MECHANIC' && user.role === 'admin';
    recommendations.push(
      isAdmin
        ? 'This is an admin account: admins do not take requests.'
        : suspended
          ? SUSPENDED_ADVICE
          : ADVICE[blockedBy],
    );
  }
  const sessionRules = new Set(
    queueVisibility.map((q) => q.hiddenBy).filter((r): r is EligibilityCode => r !== null && r !== blockedBy),
  );
  for (const rule of sessionRules) recommendations.push(ADVICE[rule]);
  if (!blockedBy && pending.length === 0) recommendations.push('They can take requests; none are waiting right now.');
  if (!blockedBy && queueVisibility.some((q) => q.visible))
    recommendations.push('They can take requests; the ones marked visible are in their queue now.');

  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role, banned: user.banned },
    mechanic: standing.mechanic ? toMechanicDto(standing.mechanic) : null,
    authLinked: canSignIn && (standing.mechanic === null || user.role === 'mechanic'),
    eligibility: { eligible: blockedBy === null, blockedBy },
    activeSession: active ? toSessionDto(active, await findParticipants(ctx.db, [active.id])) : null,
    queueVisibility,
    recommendations,
  };
}
