import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { toReviewDto } from '../reports/report.dto.js';
import { findReview } from '../reports/report.repository.js';
import { loadVisibleSession, relationTo } from './session-access.js';
import { toSessionDto } from './session.dto.js';

/**
 * One session for its page (`SessionDetail`): the Session, and the customer's rating of it, so that
 * the ended screen shows "You rated 5/5" after a reload instead of an empty form. The mechanic is
 * not told which customer gave which rating: for them the field is left out.
 */
export async function getSession(ctx: Ctx, viewer: Actor, id: string) {
  const { session, participants } = await loadVisibleSession(ctx, viewer, id);
  const dto = toSessionDto(session, participants);
  if (relationTo(session, viewer) === 'mechanic') return dto;
  // Only completed sessions can be rated (domain.md §3, reviews): no read for the others.
  const review = session.status === 'completed' ? await findReview(ctx.db, id) : undefined;
  return { ...dto, review: review ? toReviewDto(review) : null };
}
