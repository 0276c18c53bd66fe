import type { DisputeRow, ExtensionRow, PaymentRow, PayoutRow, RefundRequestRow, RefundRow } from '../db/schema.js';

export type DisputeStatus = DisputeRow['status'];

/**
 * The `Payment` object; the client secret only for its owner, only while the card is still to
 * come. `dispute` is the latest card dispute's status, or null (payments.md §5: any captured state
 * may be disputed — a flag beside the status, not a status of its own).
 */
export function toPaymentDto(
  row: PaymentRow,
  dispute: DisputeStatus | null,
  options: { withClientSecret?: boolean } = {},
) {
  return {
    id: row.id,
    status: row.status,
    plan: row.plan,
    amountCents: row.amountCents,
    capturedCents: row.capturedCents,
    refundedCents: row.refundedCents,
    currency: row.currency,
    provider: row.provider,
    card: row.cardBrand && row.cardLast4 ? { brand: row.cardBrand, last4: row.cardLast4 } : null,
    sessionId: row.sessionId,
    ...(options.withClientSecret && row.clientSecret && row.status === 'requires_payment_method'
      ? { clientSecret: row.clientSecret }
      : {}),
    failureCode: row.failureCode,
    declineCode: row.declineCode,
    dispute,
    authorizedAt: row.authorizedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export const toExtensionDto = (row: ExtensionRow) => ({
  id: row.id,
  minutes: row.minutes,
  amountCents: row.amountCents,
  status: row.status,
});

export const toRefundDto = (row: RefundRow) => ({
  id: row.id,
  paymentId: row.paymentId,
  amountCents: row.amountCents,
  currency: row.currency,
  reason: row.reason,
  status: row.status,
  refundRequestId: row.refundRequestId,
  createdAt: row.createdAt.toISOString(),
});

export const toRefundRequestDto = (row: RefundRequestRow) => ({
  id: row.id,
  sessionId: row.sessionId,
  paymentId: row.paymentId,
  reason: row.reason,
  status: row.status,
  decisionNote: row.decisionNote,
  refundId: row.refundId,
  decidedAt: row.decidedAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
});

export const toDisputeDto = (row: DisputeRow) => ({
  id: row.id,
  paymentId: row.paymentId,
  amountCents: row.amountCents,
  reason: row.reason,
  status: row.status,
  openedAt: row.openedAt.toISOString(),
  closedAt: row.closedAt?.toISOString() ?? null,
});

export const toPayoutDto = (row: PayoutRow) => ({
  id: row.id,
  mechanicId: row.mechanicId,
  periodStart: row.periodStart.toISOString(),
  periodEnd: row.periodEnd.toISOString(),
  amountCents: row.amountCents,
  currency: row.currency,
  status: row.status,
  providerRef: row.providerRef,
  createdAt: row.createdAt.toISOString(),
});
