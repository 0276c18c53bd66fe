import type { Actor } from '../auth/auth.js';
import { findPlan } from '../catalogue/catalogue.repository.js';
import type { Ctx } from '../context.js';
import type { ExtensionRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { enqueue, PermanentJobError, type JobHandler } from '../jobs/queue.js';
import { runTransition, type TransitionResult } from '../sessions/run-transition.js';
import { loadVisibleSession, relationTo } from '../sessions/session-access.js';
import { CAPTURE_RETRY } from './jobs.js';
import { findExtension, finishExtension, insertExtension, listExtensions } from './extension.repository.js';
import { ACCOUNTS, recordTransaction } from './ledger.repository.js';
import { splitCapture } from './money.js';
import { addCharged, findPayment, findPaymentBySession, lockPayment } from './payment.repository.js';
import { PaymentDeclined, ProviderRefused } from './provider.js';
import { providerError } from './provider-errors.js';

/*
 * Paid extensions (T14, payments.md §3): the customer asks for more time; the server prices it
 * from the plan, charges the saved card off-session under `extension:<id>`, and only then — in one
 * transaction — moves the countdown and the deadline, appends `session.extended` and books the
 * ledger. The charge is a durable job too: if this request dies after the charge, the job finds
 * the charge (same key) and applies it; if the session ended meanwhile, the charge is refunded.
 */

export const MAX_EXTENSIONS = 3;

class AlreadySettled extends Error {}

export const applyExtensionJob = (extensionId: string) => ({
  kind: 'payment.extension',
  key: `extension:${extensionId}`,
  payload: { extensionId },
  retry: CAPTURE_RETRY,
});

export type ExtendResult = { extension: ExtensionRow; session: TransitionResult | null };

export async function extendSession(ctx: Ctx, viewer: Actor, sessionId: string, blocks: number): Promise<ExtendResult> {
  const { session } = await loadVisibleSession(ctx, viewer, sessionId);
  if (relationTo(session, viewer) !== 'customer')
    throw new AppError('FORBIDDEN', 'Only the session’s customer can extend it');
  if (session.status !== 'live') {
    throw new AppError(
      session.endedAt ? 'SESSION_CLOSED' : 'INVALID_TRANSITION',
      'Only a live session can be extended',
    );
  }
  if (session.deadlineAt && ctx.clock.now() >= session.deadlineAt) {
    throw new AppError('INVALID_TRANSITION', 'The session’s time is up; it can no longer be extended');
  }
  const plan = await findPlan(ctx.db, session.plan);
  if (!plan?.extensionMinutes || !plan.extensionPriceCents) {
    throw new AppError('VALIDATION_FAILED', `${plan?.name ?? 'This plan'} cannot be extended`, {
      errors: [{ path: 'body.blocks', message: 'this plan has no extensions' }],
    });
  }
  const now = ctx.clock.now();
  // The payment row orders concurrent requests: the limit is counted and the extension inserted under its lock.
  const extension = await ctx.db.transaction(async (tx) => {
    const held = await findPaymentBySession(tx, sessionId);
    const payment = held && (await lockPayment(tx, held.id));
    if (!payment || payment.status !== 'authorized') {
      throw new AppError('PAYMENT_REQUIRED', 'This session has no card on hold to charge an extension to');
    }
    const earlier = await listExtensions(tx, sessionId);
    // One charge at a time: a customer retrying after an outage must not buy the same time twice.
    if (earlier.some((x) => x.status === 'charging')) {
      throw new AppError(
        'INVALID_TRANSITION',
        'Your last extension is still being charged; its minutes appear as soon as it goes through',
      );
    }
    if (earlier.filter((x) => x.status === 'succeeded').length >= MAX_EXTENSIONS) {
      throw new AppError('INVALID_TRANSITION', `A session can be extended at most ${MAX_EXTENSIONS} times`);
    }
    const row = await insertExtension(tx, {
      sessionId,
      paymentId: payment.id,
      blocks,
      minutes: blocks * plan.extensionMinutes!,
      amountCents: blocks * plan.extensionPriceCents!,
      currency: plan.currency,
      createdAt: now,
    });
    const job = applyExtensionJob(row.id);
    // The safety net: runs only if this request does not finish the extension itself.
    await enqueue(tx, now, job, { retry: job.retry, runAt: new Date(now.getTime() + 30_000) });
    return row;
  });
  const applied = await applyExtension(ctx, extension.id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'SERVICE_UNAVAILABLE') {
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        'We could not reach the card processor. If your card was charged, the minutes are added within a minute — never charged twice',
      );
    }
    throw error;
  });
  if (applied.extension.status === 'failed') {
    throw new AppError(
      'PAYMENT_DECLINED',
      'Your card declined the extension; nothing was charged and the session is unchanged',
      {
        extra: { declineCode: applied.extension.declineCode ?? applied.extension.failureCode },
      },
    );
  }
  if (applied.extension.status === 'refunded') {
    throw new AppError(
      'SESSION_CLOSED',
      'The session ended while your card was being charged; the charge was refunded',
    );
  }
  return applied;
}

/** Charges the extension (idempotently) and applies it, or refunds it when the session has ended. */
export async function applyExtension(ctx: Ctx, extensionId: string): Promise<ExtendResult> {
  const extension = await findExtension(ctx.db, extensionId);
  if (!extension) throw new PermanentJobError(`extension ${extensionId} is missing`);
  if (extension.status !== 'charging') return { extension, session: null };
  const payment = await findPayment(ctx.db, extension.paymentId);
  let charge;
  try {
    charge = await ctx.payments.provider.chargeSaved({
      paymentRef: payment!.providerRef!,
      amountCents: extension.amountCents,
      currency: extension.currency,
      paymentId: payment!.id,
      idempotencyKey: `extension:${extension.id}`,
    });
  } catch (error) {
    if (error instanceof PaymentDeclined || error instanceof ProviderRefused) {
      const failed = await finishExtension(
        ctx.db,
        extension.id,
        {
          status: 'failed',
          failureCode: error.code,
          declineCode: error instanceof PaymentDeclined ? error.declineCode : null,
        },
        ctx.clock.now(),
      );
      return { extension: failed ?? (await findExtension(ctx.db, extensionId))!, session: null };
    }
    throw providerError(error);
  }
  try {
    const result = await runTransition(
      ctx,
      extension.sessionId,
      { type: 'extend', minutes: extension.minutes, extensionId: extension.id },
      (session) => ({ kind: 'customer', userId: session.customerId }),
      {
        onWrite: async (tx, _before, after, now) => {
          const done = await finishExtension(tx, extension.id, { status: 'succeeded', providerRef: charge.ref }, now);
          // Applied meanwhile by its twin (the request and the job): roll this one back.
          if (!done) throw new AlreadySettled();
          await addCharged(tx, extension.paymentId, extension.amountCents, now);
          const { platformCents, mechanicCents } = splitCapture(extension.amountCents, ctx.payments.platformFeePercent);
          await recordTransaction(tx, {
            reference: `extension:${extension.id}`,
            kind: 'extension',
            paymentId: extension.paymentId,
            sessionId: extension.sessionId,
            currency: extension.currency,
            at: now,
            entries: [
              { account: ACCOUNTS.provider, amountCents: extension.amountCents },
              { account: ACCOUNTS.mechanic(after.mechanicId!), amountCents: -mechanicCents },
              { account: ACCOUNTS.platformRevenue, amountCents: -platformCents },
            ],
          });
        },
      },
    );
    return { extension: (await findExtension(ctx.db, extensionId))!, session: result };
  } catch (error) {
    if (error instanceof AlreadySettled)
      return { extension: (await findExtension(ctx.db, extensionId))!, session: null };
    const ended = error instanceof AppError && (error.code === 'SESSION_CLOSED' || error.code === 'INVALID_TRANSITION');
    if (!ended) throw error;
    // The session ended while the card was being charged: the money goes back (payments.md §3).
    await ctx.payments.provider.refund({
      ref: charge.ref,
      amountCents: extension.amountCents,
      idempotencyKey: `refund:extension:${extension.id}`,
    });
    const refunded = await finishExtension(
      ctx.db,
      extension.id,
      { status: 'refunded', providerRef: charge.ref },
      ctx.clock.now(),
    );
    return { extension: refunded ?? (await findExtension(ctx.db, extensionId))!, session: null };
  }
}

export const applyExtensionHandler: JobHandler = {
  kind: 'payment.extension',
  retry: CAPTURE_RETRY,
  run: async (ctx, job) => {
    await applyExtension(ctx, String(job.payload.extensionId));
  },
};
