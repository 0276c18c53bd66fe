import type { Actor } from '../auth/auth.js';
import { recordAdminAction } from '../audit/audit.repository.js';
import type { Ctx } from '../context.js';
import type { RefundRequestRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { processRefund, reserveRefund } from './issue-refund.js';
import { decideRefundRequest, findRefundRequest } from './refund.repository.js';

/**
 * An admin approves a customer's refund request — issuing the refund (full, or the amount given)
 * in the same transaction — or declines it with a note the customer sees. Decided once.
 */
export async function decideRefund(
  ctx: Ctx,
  admin: Actor,
  requestId: string,
  decision: { approve: true; amountCents?: number; note?: string } | { approve: false; note: string },
): Promise<RefundRequestRow> {
  const now = ctx.clock.now();
  const { decided, refundId } = await ctx.db.transaction(async (tx) => {
    const request = await findRefundRequest(tx, requestId, true);
    if (!request) throw new AppError('NOT_FOUND', 'No such refund request');
    if (request.status !== 'pending')
      throw new AppError('INVALID_TRANSITION', `This request was ${request.status} already`);
    let refund: string | null = null;
    if (decision.approve) {
      const reserved = await reserveRefund(ctx, tx, admin, request.paymentId, {
        amountCents: decision.amountCents,
        reason: decision.note ? `refund request: ${decision.note}` : `refund request: ${request.reason}`,
        idempotencyKey: `refund-request:${request.id}`,
        refundRequestId: request.id,
      });
      refund = reserved.refund.id;
    }
    const row = await decideRefundRequest(tx, request.id, {
      status: decision.approve ? 'approved' : 'declined',
      decidedBy: admin.id,
      decisionNote: decision.note ?? null,
      refundId: refund,
      decidedAt: now,
    });
    await recordAdminAction(tx, {
      adminId: admin.id,
      action: decision.approve ? 'refund_request.approve' : 'refund_request.decline',
      targetType: 'payment',
      targetId: request.paymentId,
      reason: decision.note ?? request.reason,
      before: { status: 'pending' },
      after: { status: row!.status, refundId: refund },
      at: now,
    });
    return { decided: row!, refundId: refund };
  });
  if (refundId)
    await processRefund(ctx, refundId).catch((error: unknown) =>
      ctx.log.warn({ err: error }, 'refund will be retried'),
    );
  return decided;
}
