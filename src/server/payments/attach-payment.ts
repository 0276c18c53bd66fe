import type { Ctx } from '../context.js';
import type { Executor } from '../db/client.js';
import type { PaymentRow, PlanRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { markAuthorized } from './authorize-payment.js';
import { findPayment, lockPayment, updatePayment } from './payment.repository.js';

const required = (detail: string) =>
  new AppError('PAYMENT_REQUIRED', detail, { errors: [{ path: 'body.paymentId', message: detail }] });

/**
 * Brings a payment up to date with its provider before it is attached: with Stripe the browser
 * confirms the card with Stripe, and the webhook saying so may not have arrived yet.
 */
export async function syncPayment(ctx: Ctx, paymentId: string): Promise<void> {
  const payment = await findPayment(ctx.db, paymentId);
  // With Stripe a declined intent takes another card in the browser: `failed` may be out of date too.
  const unsure: readonly PaymentRow['status'][] = ['requires_payment_method', 'failed'];
  if (!payment || !unsure.includes(payment.status) || !payment.providerRef) return;
  if (payment.provider !== ctx.payments.provider.name || ctx.payments.provider.name === 'local') return;
  const intent = await ctx.payments.provider.retrieve(payment.providerRef).catch(() => null);
  if (intent?.status === 'requires_capture') {
    await ctx.db.transaction((tx) => markAuthorized(ctx, tx, payment, intent, unsure));
  }
}

/**
 * Attaches the payment to the session being created, in its transaction (payments.md §3): it must
 * be the caller's, authorised, for this plan's amount and currency, and pay for no other session.
 * The free plan takes none.
 */
export async function attachPayment(
  tx: Executor,
  input: { paymentId: string | undefined; customerId: string; plan: PlanRow; sessionId: string; now: Date },
): Promise<void> {
  const { paymentId, plan } = input;
  if (plan.priceCents === 0) {
    if (paymentId) {
      throw new AppError('VALIDATION_FAILED', 'The free plan takes no payment', {
        errors: [{ path: 'body.paymentId', message: 'must be empty for the free plan' }],
      });
    }
    return;
  }
  if (!paymentId) throw required(`${plan.name} is paid: authorise a card first (POST /api/payments/checkout)`);
  const payment = await lockPayment(tx, paymentId);
  if (!payment || payment.customerId !== input.customerId) throw required('No such payment of yours');
  if (payment.sessionId) throw required('This payment already pays for another session');
  if (payment.status !== 'authorized')
    throw required(`The payment is ${payment.status.replaceAll('_', ' ')}, not authorised`);
  if (payment.plan !== plan.slug || payment.amountCents !== plan.priceCents || payment.currency !== plan.currency) {
    throw required(`The payment is for another plan or amount than ${plan.name}`);
  }
  await updatePayment(tx, payment.id, ['authorized'], { sessionId: input.sessionId }, input.now);
}
