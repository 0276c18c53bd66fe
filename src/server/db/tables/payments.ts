import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { PAYMENT_PROVIDERS, PAYMENT_STATUSES } from '../../../shared/domain.js';
import { users } from './accounts.js';
import { plans } from './catalogue.js';
import { createdAt, oneOf, tstz, updatedAt } from './columns.js';
import { sessions } from './sessions.js';

/**
 * A payment is the money side of one session: authorised at checkout, attached to the session at
 * creation, then captured, part-captured (no-show fee) or voided after the session ends. Amounts
 * are integer minor units; the provider's own record is `provider_ref`.
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    plan: text('plan')
      .notNull()
      .references(() => plans.slug, { onDelete: 'restrict' }),
    /** The hold: the plan's price when the customer checked out. */
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull(),
    provider: text('provider', { enum: PAYMENT_PROVIDERS }).notNull(),
    providerRef: text('provider_ref'),
    /** What the browser needs to confirm the card with the provider (Stripe's client secret). */
    clientSecret: text('client_secret'),
    cardBrand: text('card_brand'),
    cardLast4: text('card_last4'),
    sessionId: uuid('session_id').references(() => sessions.id, { onDelete: 'restrict' }),
    /** Everything charged for the session: the plan's capture plus its paid extensions (M3). */
    capturedCents: integer('captured_cents').notNull().default(0),
    refundedCents: integer('refunded_cents').notNull().default(0),
    failureCode: text('failure_code'),
    declineCode: text('decline_code'),
    authorizedAt: tstz('authorized_at'),
    settledAt: tstz('settled_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('payments_status_check', oneOf('status', PAYMENT_STATUSES)),
    check('payments_provider_check', oneOf('provider', PAYMENT_PROVIDERS)),
    check('payments_amounts_check', sql`amount_cents > 0 AND captured_cents >= 0 AND refunded_cents >= 0`),
    check('payments_refund_within_capture_check', sql`refunded_cents <= captured_cents`),
    check(
      'payments_authorized_at_check',
      sql`status IN ('requires_payment_method', 'failed') OR authorized_at IS NOT NULL`,
    ),
    // A session is paid by one payment; a payment pays for one session.
    uniqueIndex('payments_session_key')
      .on(t.sessionId)
      .where(sql`session_id IS NOT NULL`),
    uniqueIndex('payments_provider_ref_key')
      .on(t.provider, t.providerRef)
      .where(sql`provider_ref IS NOT NULL`),
    index('payments_customer_idx').on(t.customerId, t.createdAt),
    index('payments_status_idx').on(t.status, t.updatedAt),
  ],
);

/**
 * Double-entry ledger (payments.md §4, decision 009). A transaction is immutable and its entries
 * sum to zero — a deferred constraint trigger (migration) refuses any transaction that does not.
 * Sign convention: positive is money the platform holds or is owed by someone (`provider`),
 * negative is what the platform owes or has earned (`mechanic:<id>`, `platform_revenue`).
 * Mistakes are corrected by new transactions, never by edits.
 */
export const ledgerTransactions = pgTable(
  'ledger_transactions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** What caused it, unique: `capture:<paymentId>`, `refund:<refundId>`, `payout:<payoutId>`. */
    reference: text('reference').notNull(),
    kind: text('kind').notNull(),
    paymentId: uuid('payment_id').references(() => payments.id, { onDelete: 'restrict' }),
    sessionId: uuid('session_id').references(() => sessions.id, { onDelete: 'restrict' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('ledger_transactions_reference_key').on(t.reference),
    index('ledger_transactions_payment_idx').on(t.paymentId),
    index('ledger_transactions_session_idx').on(t.sessionId),
  ],
);

export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    transactionId: bigint('transaction_id', { mode: 'number' })
      .notNull()
      .references(() => ledgerTransactions.id, { onDelete: 'restrict' }),
    /** `provider`, `platform_revenue`, `payouts`, `mechanic:<userId>`. */
    account: text('account').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('ledger_entries_nonzero_check', sql`amount_cents <> 0`),
    index('ledger_entries_transaction_idx').on(t.transactionId),
    index('ledger_entries_account_idx').on(t.account),
  ],
);

/** Provider webhook events applied (their id is the key): a duplicate or concurrent delivery changes nothing. */
export const providerEvents = pgTable(
  'provider_events',
  {
    id: text('id').primaryKey(),
    provider: text('provider', { enum: PAYMENT_PROVIDERS }).notNull(),
    type: text('type').notNull(),
    paymentId: uuid('payment_id').references(() => payments.id, { onDelete: 'restrict' }),
    /** What applying it did: `applied`, or why it changed nothing (`stale`, `unknown_payment`). */
    outcome: text('outcome').notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: createdAt(),
  },
  (t) => [index('provider_events_payment_idx').on(t.paymentId)],
);

/**
 * The embedded provider's own books (the `local` provider, payments.md §2): what a real provider
 * keeps on its side, kept in our database so that a restart loses nothing. Only the local
 * provider reads or writes these tables.
 */
export const localIntents = pgTable(
  'local_payment_intents',
  {
    id: text('id').primaryKey(),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    /** Stripe's vocabulary: requires_payment_method → requires_capture → succeeded | canceled. */
    status: text('status').notNull(),
    amountCapturable: integer('amount_capturable').notNull().default(0),
    amountReceived: integer('amount_received').notNull().default(0),
    amountRefunded: integer('amount_refunded').notNull().default(0),
    cardBrand: text('card_brand'),
    cardLast4: text('card_last4'),
    paymentMethod: text('payment_method'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  () => [
    check(
      'local_payment_intents_amounts_check',
      sql`amount_received <= amount_cents AND amount_refunded <= amount_received`,
    ),
  ],
);

/** Idempotency keys the local provider has seen, with the answer it gave (replayed on a retry). */
export const localIdempotency = pgTable('local_idempotency_keys', {
  key: text('key').primaryKey(),
  operation: text('operation').notNull(),
  requestHash: text('request_hash').notNull(),
  response: jsonb('response').notNull(),
  createdAt: createdAt(),
});

export type PaymentRow = typeof payments.$inferSelect;
export type LedgerEntryRow = typeof ledgerEntries.$inferSelect;
export type LocalIntentRow = typeof localIntents.$inferSelect;

/** A user's customer record at a provider (Stripe customers outlive idempotency keys, so we keep them). */
export const paymentCustomers = pgTable(
  'payment_customers',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: PAYMENT_PROVIDERS }).notNull(),
    ref: text('ref').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('payment_customers_user_provider_key').on(t.userId, t.provider)],
);
