import type { PaymentRow } from '../db/schema.js';

/** The `Payment` object; the client secret only for its owner, only while the card is still to come. */
export function toPaymentDto(row: PaymentRow, options: { withClientSecret?: boolean } = {}) {
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
    authorizedAt: row.authorizedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
