import type { z } from 'zod';
import type { ReviewBody } from '../../shared/contract/index.js';
import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError, uniqueViolation } from '../errors.js';
import { addRating } from '../mechanics/mechanic.repository.js';
import { loadVisibleSession } from '../sessions/session-access.js';
import { insertReview } from './report.repository.js';

/** The customer rates a completed session once; the mechanic's average moves in the same transaction. */
export async function submitReview(ctx: Ctx, viewer: Actor, sessionId: string, body: z.infer<typeof ReviewBody>) {
  const { session } = await loadVisibleSession(ctx, viewer, sessionId);
  if (session.customerId !== viewer.id) throw new AppError('FORBIDDEN', 'Only the session’s customer can review it');
  if (session.status !== 'completed' || !session.mechanicId) {
    throw new AppError('INVALID_TRANSITION', 'Only completed sessions can be reviewed');
  }
  const mechanicId = session.mechanicId;
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction(async (tx) => {
      const review = await insertReview(tx, {
        sessionId,
        customerId: viewer.id,
        mechanicId,
        rating: body.rating,
        comment: body.comment ?? null,
        createdAt: now,
      });
      await addRating(tx, mechanicId, body.rating);
      return review;
    });
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('INVALID_TRANSITION', 'This session has already been reviewed');
    throw error;
  }
}
