import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { extensionTotals } from './extension.repository.js';
import { listCustomerPayments } from './payment.repository.js';
import { refundRequestsOfSessions } from './refund.repository.js';

/**
 * A customer's receipts: per paid session, what was authorised, charged (the plan and any
 * extensions) and refunded, on which card, and where a refund request stands.
 */
export async function listReceipts(ctx: Ctx, customer: Actor) {
  if (customer.role !== 'customer') throw new AppError('FORBIDDEN', 'Receipts are for customers');
  const rows = await listCustomerPayments(ctx.db, customer.id, 200);
  const sessionIds = rows.map((r) => r.session.id);
  const [requests, extensions] = await Promise.all([
    refundRequestsOfSessions(ctx.db, sessionIds),
    extensionTotals(ctx.db, sessionIds),
  ]);
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
    extensionsCents: extensions.get(session.id) ?? 0,
    currency: payment.currency,
    card: payment.cardBrand && payment.cardLast4 ? { brand: payment.cardBrand, last4: payment.cardLast4 } : null,
    refundRequest: requests.get(session.id)?.status ?? null,
  }));
}
