import { findPlan } from '../catalogue/catalogue.repository.js';
import type { Ctx } from '../context.js';
import type { JobRow, PaymentRow } from '../db/schema.js';
import { PermanentJobError, type JobHandler } from '../jobs/queue.js';
import { announce } from '../notifications/announce.js';
import { findSession } from '../sessions/session.repository.js';
import { CAPTURE_RETRY } from './jobs.js';
import { ACCOUNTS, recordTransaction } from './ledger.repository.js';
import { settlementFor, splitCapture } from './money.js';
import { findPayment, findPaymentBySession, lockPayment, updatePayment } from './payment.repository.js';
import { ProviderRefused } from './provider.js';

/*
 * Money follows the lifecycle (payments.md §1.1, §3): after a session's terminal transition
 * commits, this job decides from the table what happens to its hold, and does it. It is run at
 * least once, so every step is idempotent: the provider calls carry `capture:<paymentId>` (see
 * `capture` for retries) or `void:<paymentId>`, the payment moves by compare-and-set, and the
 * ledger books the capture once under its reference.
 */

const SETTLED: readonly PaymentRow['status'][] = ['captured', 'partially_refunded', 'refunded', 'voided', 'failed'];

/** Releases the hold: our side first (so nothing can attach or capture it meanwhile), then the provider. */
export async function releaseHold(ctx: Ctx, payment: PaymentRow, unattachedOnly = false): Promise<void> {
  if (payment.status === 'authorized') {
    const voided = await ctx.db.transaction(async (tx) => {
      const current = await findPayment(tx, payment.id);
      if (!current || current.status !== 'authorized' || (unattachedOnly && current.sessionId)) return false;
      const now = ctx.clock.now();
      const released = await updatePayment(tx, payment.id, ['authorized'], { status: 'voided', settledAt: now }, now);
      // The customer hears what happened to the hold (when it is news to them: notifications decide).
      if (released?.sessionId) await announce(tx, now, { type: 'payment_settled', paymentId: payment.id });
      return Boolean(released);
    });
    if (!voided) return;
  } else if (payment.status !== 'voided') {
    return;
  }
  if (!payment.providerRef) return;
  try {
    await ctx.payments.provider.cancel({ ref: payment.providerRef, idempotencyKey: `void:${payment.id}` });
  } catch (error) {
    // Already released (or captured elsewhere) at the provider: nothing is held any more.
    if (error instanceof ProviderRefused && error.code === 'payment_intent_unexpected_state') return;
    throw error;
  }
}

/**
 * Captures `amountCents` of the hold. The first attempt carries `capture:<paymentId>`. A retry asks
 * the provider first: the capture may have happened with its answer lost — then it is booked, not
 * repeated — and Stripe saves even a 500 under its idempotency key and replays it to every retry
 * with that key, so a capture still to be made is retried under `capture:<paymentId>:<attempt>`
 * (safe: a PaymentIntent is captured at most once).
 */
async function capture(ctx: Ctx, payment: PaymentRow, amountCents: number, attempt: number) {
  const provider = ctx.payments.provider;
  try {
    if (attempt > 1) {
      const current = await provider.retrieve(payment.providerRef!);
      if (current.status === 'succeeded') return current;
      if (current.status === 'canceled')
        throw new PermanentJobError('the hold was released at the provider (expired?)');
    }
    const idempotencyKey = attempt > 1 ? `capture:${payment.id}:${attempt}` : `capture:${payment.id}`;
    return await provider.capture({ ref: payment.providerRef!, amountCents, idempotencyKey });
  } catch (error) {
    if (error instanceof ProviderRefused) {
      throw new PermanentJobError(`the provider refused the capture: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** Captures `amountCents` of the hold and books it: the provider's share of it, the mechanic's, the platform's. */
async function captureHold(
  ctx: Ctx,
  payment: PaymentRow,
  amountCents: number,
  mechanicId: string | null,
  attempt: number,
) {
  const intent = await capture(ctx, payment, amountCents, attempt);
  const captured = intent.capturedCents;
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    // The payment's total adds the plan's capture to the extensions charged before it.
    const current = (await lockPayment(tx, payment.id))!;
    await updatePayment(
      tx,
      payment.id,
      ['authorized', 'capture_failed'],
      { status: 'captured', capturedCents: current.capturedCents + captured, settledAt: now },
      now,
    );
    const { platformCents, mechanicCents } = splitCapture(captured, ctx.payments.platformFeePercent);
    await recordTransaction(tx, {
      reference: `capture:${payment.id}`,
      kind: 'capture',
      paymentId: payment.id,
      sessionId: payment.sessionId,
      currency: payment.currency,
      at: now,
      entries: [
        { account: ACCOUNTS.provider, amountCents: captured },
        // A session that never had a mechanic cannot be captured (the table voids it); the guard is for safety.
        { account: mechanicId ? ACCOUNTS.mechanic(mechanicId) : ACCOUNTS.platformRevenue, amountCents: -mechanicCents },
        { account: ACCOUNTS.platformRevenue, amountCents: -platformCents },
      ],
    });
    await announce(tx, now, { type: 'payment_settled', paymentId: payment.id });
  });
}

export async function settleSession(ctx: Ctx, sessionId: string, attempt = 1): Promise<void> {
  const payment = await findPaymentBySession(ctx.db, sessionId);
  if (!payment || SETTLED.includes(payment.status)) return; // free, or settled by an earlier run
  const session = await findSession(ctx.db, sessionId);
  const plan = session && (await findPlan(ctx.db, session.plan));
  if (!session || !plan) throw new PermanentJobError(`session ${sessionId} or its plan is missing`);
  // The price comes from the plan row, never above what is held.
  const price = Math.min(plan.priceCents, payment.amountCents);
  const settlement = settlementFor(session, price, ctx.payments.noShowFeePercent);
  if (settlement.action === 'void') return releaseHold(ctx, payment);
  await captureHold(ctx, payment, settlement.amountCents, session.mechanicId, attempt);
}

export const settlePaymentHandler: JobHandler = {
  kind: 'payment.settle',
  retry: CAPTURE_RETRY,
  run: (ctx, job: JobRow) => settleSession(ctx, String(job.payload.sessionId), job.attempts),
  /** Every retry failed: an admin sees `capture_failed` and retries it. */
  async onDead(ctx, job) {
    const payment = await findPaymentBySession(ctx.db, String(job.payload.sessionId));
    if (payment?.status === 'authorized') {
      await updatePayment(ctx.db, payment.id, ['authorized'], { status: 'capture_failed' }, ctx.clock.now());
    }
  },
};

export const voidUnattachedHandler: JobHandler = {
  kind: 'payment.void_unattached',
  retry: CAPTURE_RETRY,
  async run(ctx, job) {
    const payment = await findPayment(ctx.db, String(job.payload.paymentId));
    if (payment && !payment.sessionId) await releaseHold(ctx, payment, true);
  },
};
