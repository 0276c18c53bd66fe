import { z } from 'zod';
import { JOB_STATES, PAYMENT_PROVIDERS, PAYMENT_STATUSES, SESSION_STATUSES } from '../domain.js';
import { endpoint } from './define.js';
import { Id, IdParams, itemsOf, Timestamp } from './common.js';

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

/** A session's money (payments.md §7); the mechanic sees their share, not the card. */
export const SessionMoney = z.object({
  payment: Payment.nullable(),
  extensions: z.array(Extension),
  capturedCents: z.number().int(),
  refundedCents: z.number().int(),
  mechanicShareCents: z.number().int(),
  platformShareCents: z.number().int(),
  payoutId: Id.nullable(),
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
  currency: z.string(),
  card: Card.nullable(),
});
export type Receipt = z.infer<typeof Receipt>;

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
