import type { Actor } from '../auth/auth.js';
import { findPlan } from '../catalogue/catalogue.repository.js';
import type { Ctx } from '../context.js';
import type { PaymentRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { insertPayment, updatePayment } from './payment.repository.js';
import { providerError } from './provider-errors.js';

/**
 * A customer starts paying for a plan (payments.md §3): a payment for the plan's price as the
 * server knows it — a body never carries an amount — opened with the provider as a manual-capture
 * hold, waiting for the card. The provider call carries `authorize:<paymentId>`.
 */
export async function startCheckout(ctx: Ctx, customer: Actor, planSlug: string): Promise<PaymentRow> {
  if (customer.role !== 'customer') throw new AppError('FORBIDDEN', 'Only customers pay for sessions');
  const plan = await findPlan(ctx.db, planSlug);
  if (!plan || !plan.active) {
    throw new AppError('VALIDATION_FAILED', `No active plan "${planSlug}"`, {
      errors: [{ path: 'body.plan', message: 'is not an active plan' }],
    });
  }
  if (plan.priceCents === 0) {
    throw new AppError('VALIDATION_FAILED', 'The free plan needs no payment', {
      errors: [{ path: 'body.plan', message: 'is free: request the session without a payment' }],
    });
  }
  const now = ctx.clock.now();
  const payment = await insertPayment(ctx.db, {
    customerId: customer.id,
    plan: plan.slug,
    amountCents: plan.priceCents,
    currency: plan.currency,
    provider: ctx.payments.provider.name,
    createdAt: now,
  });
  const intent = await ctx.payments.provider
    .createIntent({
      amountCents: payment.amountCents,
      currency: payment.currency,
      paymentId: payment.id,
      customerId: customer.id,
      customerEmail: customer.email,
      idempotencyKey: `authorize:${payment.id}`,
    })
    .catch((error: unknown) => {
      throw providerError(error);
    });
  const updated = await updatePayment(
    ctx.db,
    payment.id,
    ['requires_payment_method'],
    { providerRef: intent.ref, clientSecret: intent.clientSecret },
    ctx.clock.now(),
  );
  return updated ?? payment;
}
