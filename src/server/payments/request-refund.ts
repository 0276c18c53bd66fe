import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { RefundRequestRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { loadVisibleSession, relationTo } from '../sessions/session-access.js';
import { findPaymentBySession } from './payment.repository.js';
import { findRefundRequestOfSession, insertRefundRequest } from './refund.repository.js';

/** A customer may ask for their money back within this long after a completed session ends. */
export const REFUND_REQUEST_DAYS = 7;

/** The customer asks for a refund of a completed, paid session (payments.md §3); an admin decides. */
export async function requestRefund(
  ctx: Ctx,
  viewer: Actor,
  sessionId: string,
  reason: string,
): Promise<RefundRequestRow> {
  const { session } = await loadVisibleSession(ctx, viewer, sessionId);
  if (relationTo(session, viewer) !== 'customer')
    throw new AppError('FORBIDDEN', 'Only the session’s customer can ask for a refund');
  if (session.status !== 'completed' || !session.endedAt) {
    throw new AppError('INVALID_TRANSITION', 'Refunds are requested for completed sessions');
  }
  const deadline = session.endedAt.getTime() + REFUND_REQUEST_DAYS * 86_400_000;
  if (ctx.clock.now().getTime() > deadline) {
    throw new AppError(
      'INVALID_TRANSITION',
      `Refunds can be requested within ${REFUND_REQUEST_DAYS} days of the session`,
    );
  }
  const payment = await findPaymentBySession(ctx.db, sessionId);
  if (!payment || payment.capturedCents === 0)
    throw new AppError('INVALID_TRANSITION', 'Nothing was charged for this session');
  const created = await insertRefundRequest(ctx.db, {
    sessionId,
    paymentId: payment.id,
    customerId: viewer.id,
    reason,
    createdAt: ctx.clock.now(),
  });
  if (created) return created;
  const existing = await findRefundRequestOfSession(ctx.db, sessionId);
  throw new AppError(
    'INVALID_TRANSITION',
    `You already asked for a refund of this session (${existing?.status ?? 'pending'})`,
  );
}
