import { findUserByEmail, findUserById, hasSignInMethod } from '../accounts/account.repository.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { toMechanicDto } from '../mechanics/mechanic.dto.js';
import { firstFailingRule, mechanicBlock, type EligibilityCode } from '../sessions/eligibility.js';
import { loadStanding } from '../sessions/list-queue.js';
import { toSessionDto } from '../sessions/session.dto.js';
import { findActiveAssignment, findParticipants, listPending } from '../sessions/session.repository.js';

const ADVICE: Record<EligibilityCode, string> = {
  NOT_A_MECHANIC:
    'This account is not a mechanic: they apply at /api/mechanics/apply (from an account without sessions).',
  NOT_APPROVED: 'Approve the mechanic (POST /api/admin/mechanics/:userId/approve) once their documents are checked.',
  ACCEPT_DISABLED:
    'An admin turned accepting off: POST /api/admin/mechanics/:userId/can-accept with value true to allow it.',
  OFF_SHIFT: 'The mechanic is off shift: they switch "on shift" on their dashboard.',
  BUSY: 'The mechanic has an active session; they see new requests once it ends.',
  TIER_REQUIRED: 'Full Diagnostic needs a workshop partner: add them to a workshop to see those requests.',
  OTHER_WORKSHOP: 'The customer targeted another workshop.',
  RESERVED: 'The customer preferred another mechanic; it opens to everyone when the exclusivity window ends.',
  RELEASED_BEFORE: 'They released this session before; it is offered to others.',
};

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
  if (!canSignIn) recommendations.push('No sign-in method is linked to this user: recreate the account.');
  if (blockedBy) recommendations.push(ADVICE[blockedBy]);
  const sessionRules = new Set(
    queueVisibility.map((q) => q.hiddenBy).filter((r): r is EligibilityCode => r !== null && r !== blockedBy),
  );
  for (const rule of sessionRules) recommendations.push(ADVICE[rule]);
  if (!blockedBy && pending.length === 0) recommendations.push('Eligible; there are no pending requests right now.');
  if (!blockedBy && queueVisibility.some((q) => q.visible))
    recommendations.push('Eligible; the visible requests are in their queue now.');

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
