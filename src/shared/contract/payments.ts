import { z } from 'zod';
import { JOB_STATES, PAYMENT_PROVIDERS, PAYMENT_STATUSES, SESSION_STATUSES } from '../domain.js';
import { endpoint } from './define.js';
import { Id, IdParams, itemsOf, Timestamp } from './common.js';
import { Session } from './sessions.js';

const tags = ['payments'];

export const Card = z.object({ brand: z.string(), last4: z.string() });

/** The `Payment` object of payments.md §7. */
export const Payment = z.object({
  id: Id,
  status: z.enum(PAYMENT_STATUSES),
  plan: z.string(),
  amountCents: z.number().int(),
  capturedCents: z.number().int(),
  refundedCents: z.number().int(),
  currency: z.string(),
  provider: z.enum(PAYMENT_PROVIDERS),
  card: Card.nullable(),
  sessionId: Id.nullable(),
  /** Stripe only, for the Payment Element in the owner's browser. */
  clientSecret: z.string().optional(),
  /** Why the card was refused (Stripe's codes), when it was. */
  failureCode: z.string().nullable(),
  declineCode: z.string().nullable(),
  /** A card dispute (chargeback) on it, if any. */
  dispute: z.enum(['open', 'won', 'lost']).nullable(),
  authorizedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type Payment = z.infer<typeof Payment>;

export const CheckoutBody = z.strictObject({ plan: z.string().min(1).max(40) });

export const ConfirmBody = z.strictObject({
  cardNumber: z
    .string()
    .trim()
    .transform((s) => s.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^\d{12,19}$/, 'is 12 to 19 digits')),
  expMonth: z.number().int().min(1).max(12),
  expYear: z.number().int().min(2000).max(2100),
  cvc: z
    .string()
    .trim()
    .regex(/^\d{3,4}$/, 'is 3 or 4 digits'),
});

export const PaymentsConfig = z.object({
  provider: z.enum(PAYMENT_PROVIDERS),
  publishableKey: z.string().nullable(),
  /** The local provider's test cards are listed on the page. */
  testCards: z.boolean(),
  /** The response window the customer is promised before paying (minutes). */
  offerWindowMinutes: z.number().int(),
  urgentOfferWindowMinutes: z.number().int(),
});

export const Extension = z.object({
  id: Id,
  minutes: z.number().int(),
  amountCents: z.number().int(),
  status: z.string(),
});

export const Refund = z.object({
  id: Id,
  paymentId: Id,
  amountCents: z.number().int(),
  currency: z.string(),
  reason: z.string(),
  /** `pending` while the provider is asked; `failed` gives the money back to what can be refunded. */
  status: z.enum(['pending', 'succeeded', 'failed']),
  refundRequestId: Id.nullable(),
  createdAt: Timestamp,
});
export type Refund = z.infer<typeof Refund>;

export const RefundRequest = z.object({
  id: Id,
  sessionId: Id,
  paymentId: Id,
  reason: z.string(),
  status: z.enum(['pending', 'approved', 'declined']),
  /** The admin's words to the customer, when decided. */
  decisionNote: z.string().nullable(),
  refundId: Id.nullable(),
  decidedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type RefundRequest = z.infer<typeof RefundRequest>;

export const Job = z.object({
  id: z.number().int(),
  kind: z.string(),
  key: z.string(),
  state: z.enum(JOB_STATES),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  runAt: Timestamp,
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Job = z.infer<typeof Job>;

/** A session's money (payments.md §7); the mechanic sees their share, not the card. */
export const SessionMoney = z.object({
  payment: Payment.nullable(),
  extensions: z.array(Extension),
  capturedCents: z.number().int(),
  refundedCents: z.number().int(),
  mechanicShareCents: z.number().int(),
  platformShareCents: z.number().int(),
  payoutId: Id.nullable(),
  refunds: z.array(Refund),
  refundRequest: RefundRequest.nullable(),
  /** The extension the plan offers (null: none), for the room's "add more time" button. */
  extensionOffer: z
    .object({ minutes: z.number().int(), priceCents: z.number().int(), remaining: z.number().int() })
    .nullable(),
  /** In words: what happened to the hold. */
  outcome: z.enum(['free', 'authorized', 'charged', 'released', 'capture_failed', 'pending']),
});
export type SessionMoney = z.infer<typeof SessionMoney>;

export const Receipt = z.object({
  sessionId: Id,
  paymentId: Id,
  planName: z.string(),
  vehicle: z.string(),
  sessionStatus: z.enum(SESSION_STATUSES),
  paymentStatus: z.enum(PAYMENT_STATUSES),
  requestedAt: Timestamp,
  endedAt: Timestamp.nullable(),
  authorizedCents: z.number().int(),
  capturedCents: z.number().int(),
  refundedCents: z.number().int(),
  extensionsCents: z.number().int(),
  currency: z.string(),
  card: Card.nullable(),
  refundRequest: z.enum(['pending', 'approved', 'declined']).nullable(),
});
export type Receipt = z.infer<typeof Receipt>;

export const Payout = z.object({
  id: Id,
  mechanicId: Id,
  periodStart: Timestamp,
  periodEnd: Timestamp,
  amountCents: z.number().int(),
  currency: z.string(),
  status: z.enum(['paying', 'paid', 'blocked', 'failed']),
  providerRef: z.string().nullable(),
  createdAt: Timestamp,
});
export type Payout = z.infer<typeof Payout>;

export const Earnings = z.object({
  currency: z.string(),
  balanceCents: z.number().int(),
  pendingCents: z.number().int(),
  heldByDisputesCents: z.number().int(),
  nextPayoutAt: Timestamp,
  payoutAccount: z.object({ required: z.boolean(), connected: z.boolean() }),
  periods: z.array(
    z.object({
      periodStart: Timestamp,
      periodEnd: Timestamp,
      earnedCents: z.number().int(),
      reversedCents: z.number().int(),
      paidCents: z.number().int(),
      payoutId: Id.nullable(),
      payoutStatus: z.string().nullable(),
    }),
  ),
  sessions: z.array(
    z.object({
      sessionId: Id,
      plan: z.string(),
      vehicle: z.string(),
      endedAt: Timestamp.nullable(),
      creditedCents: z.number().int(),
      reversedCents: z.number().int(),
      netCents: z.number().int(),
    }),
  ),
  payouts: z.array(z.object({ id: Id, periodEnd: Timestamp, amountCents: z.number().int(), status: z.string() })),
});
export type Earnings = z.infer<typeof Earnings>;

export const Dispute = z.object({
  id: Id,
  paymentId: Id,
  amountCents: z.number().int(),
  reason: z.string().nullable(),
  status: z.enum(['open', 'won', 'lost']),
  openedAt: Timestamp,
  closedAt: Timestamp.nullable(),
});

export const LedgerLine = z.object({
  transactionId: z.number().int(),
  reference: z.string(),
  kind: z.string(),
  account: z.string(),
  amountCents: z.number().int(),
  at: Timestamp,
});

export const PaymentStory = z.object({
  payment: Payment,
  customerEmail: z.string(),
  session: z
    .object({ id: Id, status: z.enum(SESSION_STATUSES), mechanicId: Id.nullable(), endedAt: Timestamp.nullable() })
    .nullable(),
  providerRef: z.string().nullable(),
  extensions: z.array(Extension),
  refunds: z.array(Refund),
  refundRequest: RefundRequest.nullable(),
  disputes: z.array(Dispute),
  ledger: z.array(LedgerLine),
  events: z.array(z.object({ id: z.string(), type: z.string(), outcome: z.string(), receivedAt: Timestamp })),
  jobs: z.array(Job),
});
export type PaymentStory = z.infer<typeof PaymentStory>;

export const AdminPaymentsQuery = z.strictObject({
  status: z.enum(PAYMENT_STATUSES).optional(),
  customer: z.string().trim().max(320).optional(),
  mechanicId: Id.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const AdminPayment = Payment.extend({
  customerEmail: z.string(),
  mechanicId: Id.nullable(),
  sessionStatus: z.enum(SESSION_STATUSES).nullable(),
});
export type AdminPayment = z.infer<typeof AdminPayment>;

export const JobsQuery = z.strictObject({
  state: z.enum(['failed', 'dead', 'queued', 'running', 'done']).default('failed'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const ExtendBody = z.strictObject({ blocks: z.number().int().min(1).max(3) });
export const RefundBody = z.strictObject({
  amountCents: z.number().int().min(1).max(100_000_000).optional(),
  reason: z.string().trim().min(1).max(2000),
});
export const RefundRequestBody = z.strictObject({ reason: z.string().trim().min(10).max(2000) });
export const DecideRefundBody = z.discriminatedUnion('approve', [
  z.strictObject({
    approve: z.literal(true),
    amountCents: z.number().int().min(1).optional(),
    note: z.string().trim().max(2000).optional(),
  }),
  z.strictObject({ approve: z.literal(false), note: z.string().trim().min(1).max(2000) }),
]);
export const EarningsQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });
export const PayoutAccountBody = z.strictObject({
  accountId: z
    .string()
    .trim()
    .regex(/^acct_\w{6,}$/, 'is a Stripe connected account id (acct_…)')
    .nullable(),
  reason: z.string().trim().min(1).max(2000),
});

export const payments = {
  config: endpoint({
    method: 'GET',
    path: '/api/payments/config',
    summary: 'Which provider takes cards, and what the customer is promised',
    tags,
    public: true,
    responses: { 200: PaymentsConfig },
  }),
  checkout: endpoint({
    method: 'POST',
    path: '/api/payments/checkout',
    summary: 'Start paying for a plan: a payment for the plan’s price, waiting for a card',
    tags,
    body: CheckoutBody,
    responses: { 201: Payment },
  }),
  confirm: endpoint({
    method: 'POST',
    path: '/api/payments/:id/confirm',
    summary: 'Authorise the card (local provider): authorized, or 402 PAYMENT_DECLINED with declineCode',
    tags,
    params: IdParams,
    body: ConfirmBody,
    responses: { 200: Payment },
  }),
  get: endpoint({
    method: 'GET',
    path: '/api/payments/:id',
    summary: 'One payment',
    tags,
    params: IdParams,
    responses: { 200: Payment },
  }),
  stripeWebhook: endpoint({
    method: 'POST',
    path: '/api/payments/webhooks/stripe',
    summary: 'Stripe events (signed); applied once each',
    tags,
    public: true,
    responses: { 200: z.object({ received: z.literal(true), outcome: z.string() }) },
  }),
  money: endpoint({
    method: 'GET',
    path: '/api/sessions/:id/money',
    summary: 'A session’s money: authorised, captured, refunded, shares',
    tags,
    params: IdParams,
    responses: { 200: SessionMoney },
  }),
  receipts: endpoint({
    method: 'GET',
    path: '/api/customer/receipts',
    summary: 'My receipts',
    tags,
    responses: { 200: itemsOf(Receipt) },
  }),
  adminPayments: endpoint({
    method: 'GET',
    path: '/api/admin/payments',
    summary: 'Payments, filterable; failed captures first to look at',
    tags: ['admin'],
    query: AdminPaymentsQuery,
    responses: { 200: itemsOf(AdminPayment) },
  }),
  retryCapture: endpoint({
    method: 'POST',
    path: '/api/admin/payments/:id/retry',
    summary: 'Retry a capture_failed capture',
    tags: ['admin'],
    params: IdParams,
    responses: { 202: Job },
  }),
  extend: endpoint({
    method: 'POST',
    path: '/api/sessions/:id/extensions',
    summary: 'Buy more time in a live session (1–3 blocks of the plan’s extension); charged at once',
    tags,
    params: IdParams,
    body: ExtendBody,
    responses: { 201: z.object({ extension: Extension, session: Session }) },
  }),
  requestRefund: endpoint({
    method: 'POST',
    path: '/api/sessions/:id/refund-request',
    summary: 'Ask for a refund of a completed session (within 7 days)',
    tags,
    params: IdParams,
    body: RefundRequestBody,
    responses: { 201: RefundRequest },
  }),
  earnings: endpoint({
    method: 'GET',
    path: '/api/mechanic/earnings',
    summary: 'My earnings: balance, pending, by week and by session; ?format=csv for the statement',
    tags: ['mechanics'],
    query: EarningsQuery,
    responses: { 200: Earnings },
  }),
  adminPayment: endpoint({
    method: 'GET',
    path: '/api/admin/payments/:id',
    summary: 'A payment’s whole story: authorisation, charges, refunds, ledger, provider events, jobs',
    tags: ['admin'],
    params: IdParams,
    responses: { 200: PaymentStory },
  }),
  refund: endpoint({
    method: 'POST',
    path: '/api/admin/payments/:id/refunds',
    summary: 'Refund all (no amount) or part of what was charged; Idempotency-Key required',
    tags: ['admin'],
    params: IdParams,
    body: RefundBody,
    responses: { 201: Refund, 200: Refund },
  }),
  refundRequests: endpoint({
    method: 'GET',
    path: '/api/admin/refund-requests',
    summary: 'Customers’ refund requests (pending first)',
    tags: ['admin'],
    query: z.strictObject({ status: z.enum(['pending', 'approved', 'declined', 'all']).default('pending') }),
    responses: {
      200: itemsOf(RefundRequest.extend({ customerEmail: z.string().nullable(), capturedCents: z.number().int() })),
    },
  }),
  decideRefundRequest: endpoint({
    method: 'POST',
    path: '/api/admin/refund-requests/:id/decide',
    summary: 'Approve (refund all, or the amount given) or decline a refund request',
    tags: ['admin'],
    params: IdParams,
    body: DecideRefundBody,
    responses: { 200: RefundRequest },
  }),
  disputes: endpoint({
    method: 'GET',
    path: '/api/admin/disputes',
    summary: 'Card disputes',
    tags: ['admin'],
    responses: { 200: itemsOf(Dispute) },
  }),
  payouts: endpoint({
    method: 'GET',
    path: '/api/admin/payouts',
    summary: 'Payouts, newest period first',
    tags: ['admin'],
    query: z.strictObject({ mechanicId: Id.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
    responses: { 200: itemsOf(Payout) },
  }),
  runPayouts: endpoint({
    method: 'POST',
    path: '/api/admin/payouts/run',
    summary: 'Run the payouts due (the last period that ended); idempotent',
    tags: ['admin'],
    responses: { 200: itemsOf(Payout) },
  }),
  payoutAccount: endpoint({
    method: 'POST',
    path: '/api/admin/mechanics/:userId/payout-account',
    summary: 'Set (or clear) the mechanic’s connected payout account (Stripe Connect)',
    tags: ['admin'],
    params: z.strictObject({ userId: Id }),
    body: PayoutAccountBody,
    responses: { 200: z.object({ userId: Id, connected: z.boolean() }) },
  }),
  jobs: endpoint({
    method: 'GET',
    path: '/api/admin/jobs',
    summary: 'Durable jobs by state (failed = waiting to retry or dead)',
    tags: ['admin'],
    query: JobsQuery,
    responses: { 200: itemsOf(Job) },
  }),
  retryJob: endpoint({
    method: 'POST',
    path: '/api/admin/jobs/:id/retry',
    summary: 'Run a dead or waiting job again now',
    tags: ['admin'],
    params: z.strictObject({ id: z.coerce.number().int().min(1) }),
    responses: { 202: Job },
  }),
};
