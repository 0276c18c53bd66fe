import type { PaymentStatus } from '../../../shared/domain';

/** A payment's status as the console shows it (the raw status stays in the filter's values). */
export const PAYMENT_STATUS_LABEL: Record<PaymentStatus, string> = {
  requires_payment_method: 'Waiting for a card',
  authorized: 'On hold',
  captured: 'Charged',
  partially_refunded: 'Partly refunded',
  refunded: 'Refunded',
  voided: 'Released',
  failed: 'Declined',
  capture_failed: 'Capture failed',
};

export const PAYOUT_STATUS_LABEL: Record<string, string> = {
  paying: 'Being paid',
  paid: 'Paid',
  blocked: 'Blocked: no payout account',
  failed: 'Transfer failed (owed again)',
};

/** Statuses from which money can still be refunded (issue-refund.ts). */
export const isRefundable = (status: PaymentStatus) => status === 'captured' || status === 'partially_refunded';

export const shortId = (id: string) => id.slice(0, 8);

const utcDay = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A payout period [start, end) as the dates it covers, Monday to Sunday (UTC). */
export const periodWords = (start: string, end: string) =>
  `${utcDay.format(new Date(start))} – ${utcDay.format(new Date(Date.parse(end) - 86_400_000))}`;
