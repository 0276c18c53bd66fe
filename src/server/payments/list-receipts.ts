import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { listCustomerPayments } from './payment.repository.js';

/** A customer's receipts: per paid session, what was authorised, charged and refunded, and on which card. */
export async function listReceipts(ctx: Ctx, customer: Actor) {
  if (customer.role !== 'customer') throw new AppError('FORBIDDEN', 'Receipts are for customers');
  const rows = await listCustomerPayments(ctx.db, customer.id, 200);
  return rows.map(({ payment, session, planName }) => ({
    sessionId: session.id,
    paymentId: payment.id,
    planName,
    vehicle: `${session.vehicle.year} ${session.vehicle.make} ${session.vehicle.model}`,
    sessionStatus: session.status,
    paymentStatus: payment.status,
    requestedAt: session.requestedAt.toISOString(),
    endedAt: session.endedAt?.toISOString() ?? null,
    authorizedCents: payment.amountCents,
    capturedCents: payment.capturedCents,
    refundedCents: payment.refundedCents,
    currency: payment.currency,
    card: payment.cardBrand && payment.cardLast4 ? { brand: payment.cardBrand, last4: payment.cardLast4 } : null,
  }));
}
