import type { Ctx } from '../context.js';
import type { ExtensionRow, PaymentRow, RefundRow } from '../db/schema.js';
import { listExtensions } from '../payments/extension.repository.js';
import { findPaymentBySession } from '../payments/payment.repository.js';
import { refundsOf } from '../payments/refund.repository.js';

/**
 * What a session's documents say about its money, read from the payment row the ledger agrees
 * with (payments.md, M3): the hold, what was charged for the plan and for each applied extension,
 * and the refunds that count (done or on their way; a failed one gave nothing back).
 */
export type SessionCharges = {
  payment: PaymentRow;
  /** The plan's part of what was captured: everything charged minus the applied extensions. */
  planCents: number;
  extensions: ExtensionRow[];
  extensionsCents: number;
  refunds: RefundRow[];
  /** Charged minus refunded: what the customer paid in the end. */
  netCents: number;
};

/** Null for a session without a payment (the free plan). */
export async function loadSessionCharges(ctx: Ctx, sessionId: string): Promise<SessionCharges | null> {
  const payment = await findPaymentBySession(ctx.db, sessionId);
  if (!payment) return null;
  const [allExtensions, allRefunds] = await Promise.all([
    listExtensions(ctx.db, sessionId),
    refundsOf(ctx.db, payment.id),
  ]);
  const extensions = allExtensions.filter((x) => x.status === 'succeeded');
  const extensionsCents = extensions.reduce((sum, x) => sum + x.amountCents, 0);
  return {
    payment,
    planCents: Math.max(0, payment.capturedCents - extensionsCents),
    extensions,
    extensionsCents,
    refunds: allRefunds.filter((r) => r.status !== 'failed'),
    netCents: payment.capturedCents - payment.refundedCents,
  };
}

export type ChargeOutcome = 'charged' | 'refunded' | 'released' | 'pending' | 'not_charged';

/** What happened to the hold, in one word the documents turn into a sentence. */
export function chargeOutcome(payment: PaymentRow): ChargeOutcome {
  switch (payment.status) {
    case 'captured':
    case 'partially_refunded':
      return 'charged';
    case 'refunded':
      return 'refunded';
    case 'voided':
      return 'released';
    case 'authorized':
    case 'capture_failed':
      return 'pending';
    default:
      return 'not_charged';
  }
}
