import { PROFILE_REVIEW_COMMENTS } from '../../shared/profile-limits.js';
import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { MechanicRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { listRecentReviewComments } from '../reports/report.repository.js';
import { hasSessionWith } from '../sessions/session.repository.js';
import { findMechanic, findMechanicWithWorkshop, type MechanicWithWorkshop } from './mechanic.repository.js';

/**
 * Whose profile a signed-in person may see: every approved mechanic (customers meet them in the
 * room, and may come to prefer one), oneself, the mechanic of one's own past sessions even after
 * a suspension, and admins. An applicant's or a suspended mechanic's profile is nobody else's
 * business: 404, as for anything one may not see.
 */
async function maySee(ctx: Ctx, viewer: Actor, mechanic: MechanicRow): Promise<boolean> {
  if (viewer.role === 'admin' || viewer.id === mechanic.userId) return true;
  if (mechanic.approvalStatus === 'approved') return true;
  return viewer.role === 'customer' && hasSessionWith(ctx.db, viewer.id, mechanic.userId);
}

/** The mechanic (and their workshop) whose profile `viewer` may see; anyone else NOT_FOUND. */
export async function loadVisibleProfile(ctx: Ctx, viewer: Actor, userId: string): Promise<MechanicWithWorkshop> {
  const found = await findMechanicWithWorkshop(ctx.db, userId);
  if (!found || !(await maySee(ctx, viewer, found.mechanic))) throw new AppError('NOT_FOUND', 'No such mechanic');
  return found;
}

/** A mechanic's profile with their latest review comments. */
export async function getMechanicProfile(ctx: Ctx, viewer: Actor, userId: string) {
  const found = await loadVisibleProfile(ctx, viewer, userId);
  return { found, reviews: await listRecentReviewComments(ctx.db, userId, PROFILE_REVIEW_COMMENTS) };
}

export type ProfileView = Awaited<ReturnType<typeof getMechanicProfile>>;

/** The mechanic row of the signed-in account, or FORBIDDEN: only mechanics have a profile. */
export async function requireOwnMechanic(ctx: Ctx, actor: Actor): Promise<MechanicRow> {
  const row = actor.role === 'mechanic' ? await findMechanic(ctx.db, actor.id) : undefined;
  if (!row) throw new AppError('FORBIDDEN', 'Only mechanic accounts have a profile');
  return row;
}

/** The signed-in mechanic's own profile, as customers see it. */
export async function getOwnProfile(ctx: Ctx, actor: Actor): Promise<ProfileView> {
  await requireOwnMechanic(ctx, actor);
  return getMechanicProfile(ctx, actor, actor.id);
}
