import type { RetryPolicy } from '../jobs/queue.js';

/*
 * The payments area's durable jobs, as specs (kind, key, payload, retry) that the transaction
 * causing them enqueues. The keys are the idempotency of the work: one settlement per session,
 * one void per unattached authorisation.
 */

/** Captures are retried for about an hour before they become `capture_failed` for an admin. */
export const CAPTURE_RETRY: RetryPolicy = {
  maxAttempts: 8,
  delaysMs: [1_000, 5_000, 30_000, 120_000, 300_000, 900_000, 1_800_000],
};

/** An authorised payment attached to no session this long is released (payments.md §3). */
export const UNATTACHED_VOID_AFTER_MS = 30 * 60_000;

export const settlePaymentJob = (sessionId: string) => ({
  kind: 'payment.settle',
  key: `settle:${sessionId}`,
  payload: { sessionId },
  retry: CAPTURE_RETRY,
});

export const voidUnattachedJob = (paymentId: string) => ({
  kind: 'payment.void_unattached',
  key: `void-unattached:${paymentId}`,
  payload: { paymentId },
  retry: CAPTURE_RETRY,
});
