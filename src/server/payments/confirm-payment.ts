import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { PaymentRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { markAuthorized } from './authorize-payment.js';
import { findPayment, updatePayment } from './payment.repository.js';
import { PaymentDeclined, type CardDetails } from './provider.js';
import { providerError } from './provider-errors.js';

/**
 * The customer's card for a payment, posted to our server — with the local provider only (with
 * Stripe the browser gives the card to Stripe's Payment Element; we never see it). Authorised: the
 * hold is placed. Declined: the payment is `failed` with Stripe's codes and the answer is 402; a
 * new checkout tries another card. The provider call carries `authorize:<paymentId>:confirm`.
 */
export async function confirmPayment(
  ctx: Ctx,
  customer: Actor,
  paymentId: string,
  card: CardDetails,
): Promise<PaymentRow> {
  const payment = await findPayment(ctx.db, paymentId);
  if (!payment || payment.customerId !== customer.id) throw new AppError('NOT_FOUND', 'No such payment');
  const provider = ctx.payments.provider;
  if (!provider.confirmCard || payment.provider !== provider.name) {
    throw new AppError(
      'INVALID_TRANSITION',
      'This payment is confirmed in the browser with the provider’s own card form',
    );
  }
  if (payment.status === 'authorized') return payment; // a repeated confirmation
  if (payment.status === 'failed') {
    throw new AppError('INVALID_TRANSITION', 'This card was declined; start again to try another card');
  }
  if (payment.status !== 'requires_payment_method' || !payment.providerRef) {
    throw new AppError('INVALID_TRANSITION', `This payment is ${payment.status}`);
  }
  try {
    const intent = await provider.confirmCard({
      ref: payment.providerRef,
      card,
      idempotencyKey: `authorize:${payment.id}:confirm`,
    });
    const authorized = await ctx.db.transaction((tx) => markAuthorized(ctx, tx, payment, intent));
    return authorized ?? (await findPayment(ctx.db, paymentId))!;
  } catch (error) {
    if (error instanceof PaymentDeclined) {
      await updatePayment(
        ctx.db,
        payment.id,
        ['requires_payment_method'],
        { status: 'failed', failureCode: error.code, declineCode: error.declineCode },
        ctx.clock.now(),
      );
    }
    throw providerError(error);
  }
}
