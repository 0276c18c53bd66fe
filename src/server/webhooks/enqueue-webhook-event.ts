import type { WebhookEvent } from '../../shared/domain.js';
import type { Executor } from '../db/client.js';
import { enqueue } from '../jobs/queue.js';
import { deliverWebhookJob } from './jobs.js';
import { insertDeliveries, subscribedEndpointIds } from './webhook.repository.js';

/**
 * Announces a lifecycle event to every live endpoint subscribed to its type. Called inside the
 * transaction that caused the event, so a rolled-back change announces nothing and a committed one
 * is delivered (at least once) by the `webhook.deliver` jobs enqueued here.
 *
 * The payload is a Standard Webhooks message body: `{ type, timestamp, data }`, fixed now — every
 * retry and redelivery sends the same bytes under the same `webhook-id` (the delivery's id).
 */
export async function enqueueWebhookEvent(
  tx: Executor,
  now: Date,
  /** `key` is the cause, unique per event (e.g. `session_event:42`): the same key twice delivers once. */
  event: { type: WebhookEvent; key: string; data: Record<string, unknown> },
): Promise<void> {
  const endpointIds = await subscribedEndpointIds(tx, event.type);
  if (endpointIds.length === 0) return;
  const payload = { type: event.type, timestamp: now.toISOString(), data: event.data };
  const deliveryIds = await insertDeliveries(tx, endpointIds, {
    key: event.key,
    type: event.type,
    payload,
    at: now,
  });
  for (const deliveryId of deliveryIds) {
    const job = deliverWebhookJob(deliveryId);
    await enqueue(tx, now, job, { retry: job.retry });
  }
}
