import crypto from 'node:crypto';
import type { Actor } from '../auth/auth.js';
import { recordAdminAction } from '../audit/audit.repository.js';
import type { Ctx } from '../context.js';
import type { Executor } from '../db/client.js';
import type { PaymentRow, RefundRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { enqueue, PermanentJobError, type JobHandler } from '../jobs/queue.js';
import { announce } from '../notifications/announce.js';
import { findSession } from '../sessions/session.repository.js';
import { listExtensions } from './extension.repository.js';
import { CAPTURE_RETRY } from './jobs.js';
import { ACCOUNTS, recordTransaction } from './ledger.repository.js';
import { percentOfWhole } from './money.js';
import { findPayment, lockPayment, updatePayment } from './payment.repository.js';
import { ProviderRefused } from './provider.js';
import { bookedFor, findRefund, findRefundByKey, finishRefund, insertRefund, refundsOf } from './refund.repository.js';

/*
 * Refunds (payments.md §3): full or partial, never more than was captured minus what is refunded
 * or being refunded (REFUND_EXCEEDS_CAPTURE), the mechanic's share reversed in proportion, audited.
 * The admin's Idempotency-Key makes a retried request one refund; the provider calls carry
 * `refund:<refundId>` and run as a durable job, so an outage delays a refund but never doubles it.
 */

export const refundJob = (refundId: string) => ({
  kind: 'payment.refund',
  key: `refund:${refundId}`,
  payload: { refundId },
  retry: CAPTURE_RETRY,
});

export type RefundInput = { amountCents?: number; reason: string; idempotencyKey: string; refundRequestId?: string };

/** How long the job waits for the inline attempt before taking over. */
const SAFETY_NET_MS = 30_000;

const REFUNDABLE: readonly PaymentRow['status'][] = ['captured', 'partially_refunded'];

/** Reserves the refund (and its job) in one transaction; the caller may then run it at once. */
export async function reserveRefund(
  ctx: Ctx,
  tx: Executor,
  admin: Actor,
  paymentId: string,
  input: RefundInput,
): Promise<{ refund: RefundRow; created: boolean }> {
  const now = ctx.clock.now();
  const requestHash = crypto
    .createHash('sha256')
    .update(JSON.stringify([input.amountCents ?? null, input.reason, input.refundRequestId ?? null]))
    .digest('hex');
  const payment = await lockPayment(tx, paymentId);
  if (!payment) throw new AppError('NOT_FOUND', 'No such payment');
  const earlier = await findRefundByKey(tx, paymentId, input.idempotencyKey);
  if (earlier) {
    if (earlier.requestHash !== requestHash) {
      throw new AppError('IDEMPOTENCY_MISMATCH', 'This Idempotency-Key was used for another refund of this payment');
    }
    return { refund: earlier, created: false };
  }
  if (!REFUNDABLE.includes(payment.status)) {
    throw new AppError('INVALID_TRANSITION', `Only a charged payment can be refunded; this one is ${payment.status}`);
  }
  const committed = (await refundsOf(tx, paymentId))
    .filter((r) => r.status !== 'failed')
    .reduce((sum, r) => sum + r.amountCents, 0);
  const refundable = payment.capturedCents - committed;
  const amount = input.amountCents ?? refundable;
  if (amount <= 0 || amount > refundable) {
    throw new AppError('REFUND_EXCEEDS_CAPTURE', `At most ${refundable} cents can still be refunded`, {
      extra: { refundableCents: refundable },
    });
  }
  const refund = await insertRefund(tx, {
    paymentId,
    amountCents: amount,
    currency: payment.currency,
    reason: input.reason,
    idempotencyKey: input.idempotencyKey,
    requestHash,
    adminId: admin.id,
    refundRequestId: input.refundRequestId ?? null,
    createdAt: now,
  });
  const job = refundJob(refund.id);
  // The safety net: the caller runs the refund at once; the job only if that does not finish it.
  await enqueue(tx, now, job, { retry: job.retry, runAt: new Date(now.getTime() + SAFETY_NET_MS) });
  await recordAdminAction(tx, {
    adminId: admin.id,
    action: 'payment.refund',
    targetType: 'payment',
    targetId: paymentId,
    reason: input.reason,
    before: { capturedCents: payment.capturedCents, refundedCents: payment.refundedCents },
    after: { refundId: refund.id, amountCents: amount },
    at: now,
  });
  return { refund, created: true };
}

export async function issueRefund(ctx: Ctx, admin: Actor, paymentId: string, input: RefundInput) {
  const reserved = await ctx.db.transaction((tx) => reserveRefund(ctx, tx, admin, paymentId, input));
  if (reserved.created) {
    // At once, for the admin watching; the job retries it if the provider is down.
    await processRefund(ctx, reserved.refund.id).catch((error: unknown) =>
      ctx.log.warn({ err: error, refundId: reserved.refund.id }, 'refund will be retried'),
    );
  }
  return { refund: (await findRefund(ctx.db, reserved.refund.id))!, created: reserved.created };
}

/** Which charges a refund takes its money from: the plan's first, then the extensions', in order. */
async function chunksFor(ctx: Ctx, payment: PaymentRow, refund: RefundRow) {
  const extensions = (await listExtensions(ctx.db, payment.sessionId!)).filter((x) => x.status === 'succeeded');
  const extensionCents = extensions.reduce((sum, x) => sum + x.amountCents, 0);
  const charges = [
    { ref: payment.providerRef!, cents: payment.capturedCents - extensionCents },
    ...extensions.map((x) => ({ ref: x.providerRef!, cents: x.amountCents })),
  ];
  const before = (await refundsOf(ctx.db, payment.id)).filter(
    (r) =>
      r.status !== 'failed' &&
      (r.createdAt < refund.createdAt || (r.createdAt.getTime() === refund.createdAt.getTime() && r.id < refund.id)),
  );
  let skip = before.reduce((sum, r) => sum + r.amountCents, 0);
  let left = refund.amountCents;
  const chunks: { ref: string; cents: number }[] = [];
  for (const charge of charges) {
    const available = Math.max(0, charge.cents - skip);
    skip = Math.max(0, skip - charge.cents);
    const take = Math.min(available, left);
    if (take > 0) chunks.push({ ref: charge.ref, cents: take });
    left -= take;
  }
  return chunks;
}

export async function processRefund(ctx: Ctx, refundId: string): Promise<void> {
  const refund = await findRefund(ctx.db, refundId);
  if (!refund || refund.status !== 'pending') return;
  const payment = (await findPayment(ctx.db, refund.paymentId))!;
  const chunks = await chunksFor(ctx, payment, refund);
  const refs: string[] = [];
  for (const [index, chunk] of chunks.entries()) {
    const idempotencyKey = index === 0 ? `refund:${refund.id}` : `refund:${refund.id}:${index}`;
    try {
      refs.push((await ctx.payments.provider.refund({ ref: chunk.ref, amountCents: chunk.cents, idempotencyKey })).ref);
    } catch (error) {
      if (error instanceof ProviderRefused)
        throw new PermanentJobError(`the provider refused the refund: ${error.message}`, { cause: error });
      throw error;
    }
  }
  const session = await findSession(ctx.db, payment.sessionId!);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    if (!(await finishRefund(tx, refund.id, { status: 'succeeded', providerRefs: refs }, now))) return;
    const current = (await lockPayment(tx, payment.id))!;
    const refunded = current.refundedCents + refund.amountCents;
    await updatePayment(
      tx,
      payment.id,
      ['captured', 'partially_refunded'],
      { refundedCents: refunded, status: refunded >= current.capturedCents ? 'refunded' : 'partially_refunded' },
      now,
    );
    // The mechanic gives back their share of what is refunded, cumulatively rounded, so that a
    // full refund (however split) reverses their share exactly.
    const account = ACCOUNTS.mechanic(session!.mechanicId!);
    const booked = await bookedFor(tx, payment.id, account);
    const credited = -((booked.get('capture') ?? 0) + (booked.get('extension') ?? 0));
    const reversedSoFar = (booked.get('refund') ?? 0) + (booked.get('dispute') ?? 0);
    const reversal = percentOfWhole(credited, refunded, current.capturedCents) - reversedSoFar;
    await recordTransaction(tx, {
      reference: `refund:${refund.id}`,
      kind: 'refund',
      paymentId: payment.id,
      sessionId: payment.sessionId,
      currency: payment.currency,
      at: now,
      entries: [
        { account: ACCOUNTS.provider, amountCents: -refund.amountCents },
        { account, amountCents: reversal },
        { account: ACCOUNTS.platformRevenue, amountCents: refund.amountCents - reversal },
      ],
    });
    await announce(tx, now, { type: 'refund_succeeded', refundId: refund.id });
  });
}

export const refundHandler: JobHandler = {
  kind: 'payment.refund',
  retry: CAPTURE_RETRY,
  run: (ctx, job) => processRefund(ctx, String(job.payload.refundId)),
  async onDead(ctx, job, error) {
    await finishRefund(
      ctx.db,
      String(job.payload.refundId),
      { status: 'failed', failure: String(error).slice(0, 500) },
      ctx.clock.now(),
    );
  },
};
