import type { Actor } from '../auth/auth.js';
import { recordAdminAction } from '../audit/audit.repository.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { enqueue } from '../jobs/queue.js';
import { redeliverWebhookJob } from './jobs.js';
import { toDeliveryDto } from './webhook.dto.js';
import { attemptsOf, findDelivery, markDeliveryPending } from './webhook.repository.js';

/**
 * Sends a delivery again, now: a fresh job for the same delivery, so the receiver gets the same
 * `webhook-id` and the same body (and may dedupe it). The delivery is `pending` until that job
 * answers; a retry of an earlier job still waiting finds it succeeded, if it did, and stops.
 */
export async function redeliverWebhook(ctx: Ctx, admin: Actor, deliveryId: string) {
  const now = ctx.clock.now();
  const delivery = await ctx.db.transaction(async (tx) => {
    const found = await findDelivery(tx, deliveryId);
    if (!found) throw new AppError('NOT_FOUND', 'No such webhook delivery');
    if (found.endpoint.deletedAt) {
      throw new AppError('INVALID_TRANSITION', 'Its endpoint was deleted: nothing is delivered to it any more');
    }
    const row = await markDeliveryPending(tx, deliveryId, now);
    const job = redeliverWebhookJob(deliveryId, found.delivery.attempts);
    await enqueue(tx, now, job, { retry: job.retry });
    await recordAdminAction(tx, {
      adminId: admin.id,
      action: 'webhook.redeliver',
      targetType: 'webhook',
      targetId: found.endpoint.id,
      reason: `redelivered ${found.delivery.eventType} (delivery ${deliveryId})`,
      before: { status: found.delivery.status, attempts: found.delivery.attempts },
      after: { status: row.status, job: job.key },
      at: now,
    });
    return row;
  });
  return toDeliveryDto(delivery, await attemptsOf(ctx.db, [delivery.id]));
}
