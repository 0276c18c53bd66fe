import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { PAYMENT_PROVIDERS } from '../../../shared/domain.js';
import { users } from './accounts.js';
import { createdAt, oneOf, tstz, updatedAt } from './columns.js';
import { payments } from './payments.js';
import { sessions } from './sessions.js';

/* What happens to money after the capture (payments.md §3, part 2): extensions, refunds, disputes, payouts. */

/**
 * A paid extension of a live session (T14, payments.md §3): priced by the server, charged at once
 * off-session on the session's saved card, and only then applied. `status`: `charging` (the charge
 * is in flight), `succeeded` (charged and applied), `failed` (declined: nothing changed),
 * `refunded` (charged, but the session ended before it could be applied).
 */
export const sessionExtensions = pgTable(
  'session_extensions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'restrict' }),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'restrict' }),
    blocks: integer('blocks').notNull(),
    minutes: integer('minutes').notNull(),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: ['charging', 'succeeded', 'failed', 'refunded'] }).notNull(),
    providerRef: text('provider_ref'),
    failureCode: text('failure_code'),
    declineCode: text('decline_code'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('session_extensions_status_check', oneOf('status', ['charging', 'succeeded', 'failed', 'refunded'])),
    check('session_extensions_blocks_check', sql`blocks BETWEEN 1 AND 3 AND minutes > 0 AND amount_cents > 0`),
    index('session_extensions_session_idx').on(t.sessionId),
  ],
);

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;

/** A refund of part or all of what a payment captured (plan and extensions), issued by an admin. */
export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'restrict' }),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: REFUND_STATUSES }).notNull(),
    /** The admin's Idempotency-Key: the same key and body answer the same refund. */
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    adminId: uuid('admin_id').references(() => users.id, { onDelete: 'restrict' }),
    refundRequestId: uuid('refund_request_id'),
    providerRefs: jsonb('provider_refs').$type<string[]>().notNull().default([]),
    failure: text('failure'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('refunds_status_check', oneOf('status', REFUND_STATUSES)),
    check('refunds_amount_check', sql`amount_cents > 0`),
    uniqueIndex('refunds_idempotency_key').on(t.paymentId, t.idempotencyKey),
    index('refunds_payment_idx').on(t.paymentId),
  ],
);

/** A customer's request for their money back (payments.md §3): within 7 days of a completed session. */
export const refundRequests = pgTable(
  'refund_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'restrict' }),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'restrict' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'declined'] }).notNull(),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'restrict' }),
    decisionNote: text('decision_note'),
    refundId: uuid('refund_id').references(() => refunds.id, { onDelete: 'restrict' }),
    decidedAt: tstz('decided_at'),
    createdAt: createdAt(),
  },
  (t) => [
    check('refund_requests_status_check', oneOf('status', ['pending', 'approved', 'declined'])),
    // One request per session at a time.
    uniqueIndex('refund_requests_one_per_session_key').on(t.sessionId),
    index('refund_requests_status_idx').on(t.status, t.createdAt),
  ],
);

/** A card dispute (chargeback) from the provider: the mechanic's share is held until it is resolved. */
export const disputes = pgTable(
  'disputes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'restrict' }),
    providerRef: text('provider_ref').notNull(),
    amountCents: integer('amount_cents').notNull(),
    reason: text('reason'),
    status: text('status', { enum: ['open', 'won', 'lost'] }).notNull(),
    openedAt: tstz('opened_at').notNull(),
    closedAt: tstz('closed_at'),
  },
  (t) => [
    check('disputes_status_check', oneOf('status', ['open', 'won', 'lost'])),
    uniqueIndex('disputes_provider_ref_key').on(t.providerRef),
    index('disputes_payment_idx').on(t.paymentId),
  ],
);

/**
 * A payout to one mechanic for one weekly period (payments.md §3): what their ledger account owed
 * them at the period's end, minus what disputes hold. Unique per (mechanic, period): running the
 * payouts twice pays once.
 */
export const payouts = pgTable(
  'payouts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    mechanicId: uuid('mechanic_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    periodStart: tstz('period_start').notNull(),
    periodEnd: tstz('period_end').notNull(),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    /** `paying` (booked, transfer in flight), `paid`, `blocked` (no payout account), `failed`. */
    status: text('status', { enum: ['paying', 'paid', 'blocked', 'failed'] }).notNull(),
    provider: text('provider', { enum: PAYMENT_PROVIDERS }).notNull(),
    providerRef: text('provider_ref'),
    failure: text('failure'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('payouts_status_check', oneOf('status', ['paying', 'paid', 'blocked', 'failed'])),
    check('payouts_amount_check', sql`amount_cents > 0`),
    uniqueIndex('payouts_mechanic_period_key').on(t.mechanicId, t.periodEnd),
    index('payouts_period_idx').on(t.periodEnd),
  ],
);

export type ExtensionRow = typeof sessionExtensions.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;
export type RefundRequestRow = typeof refundRequests.$inferSelect;
export type DisputeRow = typeof disputes.$inferSelect;
export type PayoutRow = typeof payouts.$inferSelect;
