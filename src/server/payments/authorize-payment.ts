import type { Ctx } from '../context.js';
import type { Executor } from '../db/client.js';
import type { PaymentRow } from '../db/schema.js';
import { enqueue } from '../jobs/queue.js';
import { UNATTACHED_VOID_AFTER_MS, voidUnattachedJob } from './jobs.js';
import { updatePayment } from './payment.repository.js';
import type { ProviderIntent } from './provider.js';

/**
 * The provider holds the money: the payment becomes `authorized`, with its card, and a job is
 * enqueued in the same transaction to release the hold if no session takes it within 30 minutes.
 * Compare-and-set from `requires_payment_method`: a confirmation, a webhook and a sync racing each
 * other authorise once.
 */
export async function markAuthorized(
  ctx: Ctx,
  tx: Executor,
  payment: PaymentRow,
  intent: ProviderIntent,
  from: readonly PaymentRow['status'][] = ['requires_payment_method'],
) {
  const now = ctx.clock.now();
  const updated = await updatePayment(
    tx,
    payment.id,
    from,
    {
      status: 'authorized',
      authorizedAt: now,
      cardBrand: intent.card?.brand ?? null,
      cardLast4: intent.card?.last4 ?? null,
      failureCode: null,
      declineCode: null,
      clientSecret: null,
    },
    now,
  );
  if (updated) {
    const job = voidUnattachedJob(payment.id);
    await enqueue(tx, now, job, { retry: job.retry, runAt: new Date(now.getTime() + UNATTACHED_VOID_AFTER_MS) });
  }
  return updated;
}
