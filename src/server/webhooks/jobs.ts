import type { RetryPolicy } from '../jobs/queue.js';

/*
 * The webhooks area's durable job: one `webhook.deliver` per delivery, keyed by the delivery (so
 * an event enqueued twice is sent once), and one more per redelivery an admin asks for.
 */

export const DELIVER_WEBHOOK = 'webhook.deliver';

/**
 * 10 s, 1 min, 5 min, 30 min, 2 h, 8 h, 8 h: eight attempts, the last about 18½ hours after the
 * first (at most 22½ with the runner's +20% jitter), so a delivery gives up within 24 hours.
 * Another 8 h wait would end past them.
 */
export const WEBHOOK_RETRY: RetryPolicy = {
  maxAttempts: 8,
  delaysMs: [10_000, 60_000, 300_000, 1_800_000, 7_200_000, 28_800_000, 28_800_000],
};

export const deliverWebhookJob = (deliveryId: string) => ({
  kind: DELIVER_WEBHOOK,
  key: `webhook:${deliveryId}`,
  payload: { deliveryId },
  retry: WEBHOOK_RETRY,
});

/**
 * A redelivery is a fresh job for the same delivery. `round` is how many attempts the delivery had
 * when it was asked for: asking twice before it ran (a double click) makes one job.
 */
export const redeliverWebhookJob = (deliveryId: string, round: number) => ({
  kind: DELIVER_WEBHOOK,
  key: `webhook:${deliveryId}:redeliver:${round}`,
  payload: { deliveryId },
  retry: WEBHOOK_RETRY,
});
