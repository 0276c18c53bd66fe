import net from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { Ctx } from '../context.js';
import type { JobRow } from '../db/schema.js';
import { PermanentJobError, type JobHandler } from '../jobs/queue.js';
import { nonPublicReason } from './address-policy.js';
import { DELIVER_WEBHOOK, WEBHOOK_RETRY } from './jobs.js';
import { isSuccess, postWebhook, type AttemptOutcome } from './send-webhook.js';
import { hostOf, publicOnlyLookup, RefusedAddressError } from './url-guard.js';
import { findDelivery, markDeliveryFailed, recordAttempt } from './webhook.repository.js';

/*
 * The `webhook.deliver` job (notifications.md §6): one signed POST per attempt, each attempt in the
 * delivery log. A non-2xx answer (or none) throws, and the runner retries with WEBHOOK_RETRY;
 * after the last attempt `onDead` marks the delivery `failed`. At least once: a crash between the
 * POST and the record sends it again, with the same `webhook-id`, which receivers dedupe on.
 */

export class WebhookAttemptFailed extends Error {
  override name = 'WebhookAttemptFailed';
}

const deliveryIdOf = (job: JobRow) => String(job.payload.deliveryId);

/** The message body: the stored payload, its members in the Standard Webhooks order. */
function bodyOf(payload: Record<string, unknown>): string {
  const { type, timestamp, data } = payload;
  return JSON.stringify({ type, timestamp, data });
}

async function deliver(ctx: Ctx, job: JobRow): Promise<void> {
  const found = await findDelivery(ctx.db, deliveryIdOf(job));
  // Gone, deleted, or already delivered (by a redelivery, or this job before a crash): done.
  if (!found || found.endpoint.deletedAt || found.delivery.status === 'succeeded') return;
  const { delivery, endpoint } = found;
  const url = new URL(endpoint.url);
  const allowPrivate = ctx.notifications.allowPrivateWebhooks;

  // An address in the URL itself never changes: refused now, refused on every retry.
  const literal = hostOf(url);
  const literalReason = net.isIP(literal) && !allowPrivate ? nonPublicReason(literal) : null;
  if (literalReason) {
    const refused = new RefusedAddressError(literal, literal, literalReason);
    await record(ctx, delivery.id, { statusCode: null, durationMs: 0, error: `not sent: ${refused.message}` });
    throw new PermanentJobError(refused.message);
  }

  const body = bodyOf(delivery.payload);
  const timestamp = ctx.clock.now();
  const signature = new Webhook(endpoint.secret).sign(delivery.id, timestamp, body);
  const outcome = await postWebhook(
    url,
    {
      'content-type': 'application/json',
      'user-agent': 'AutoDoctor-Webhooks/1.0',
      'webhook-id': delivery.id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
    // A host name is checked where the socket resolves it (DNS may have changed since it was registered).
    allowPrivate ? {} : { lookup: publicOnlyLookup },
  );
  await record(ctx, delivery.id, outcome);
  if (!isSuccess(outcome)) throw new WebhookAttemptFailed(outcome.error ?? `HTTP ${outcome.statusCode}`);
}

function record(ctx: Ctx, deliveryId: string, outcome: AttemptOutcome): Promise<void> {
  return ctx.db.transaction((tx) =>
    recordAttempt(tx, deliveryId, { ...outcome, succeeded: isSuccess(outcome), at: ctx.clock.now() }),
  );
}

export const deliverWebhookHandler: JobHandler = {
  kind: DELIVER_WEBHOOK,
  retry: WEBHOOK_RETRY,
  run: deliver,
  onDead: (ctx, job) => markDeliveryFailed(ctx.db, deliveryIdOf(job), ctx.clock.now()),
};
