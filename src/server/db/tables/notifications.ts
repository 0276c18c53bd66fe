import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { EMAIL_KINDS, EMAIL_STATUSES, WEBHOOK_EVENTS } from '../../../shared/domain.js';
import { users } from './accounts.js';
import { plans } from './catalogue.js';
import { createdAt, oneOf, tstz, updatedAt } from './columns.js';
import { sessions } from './sessions.js';

/*
 * Reaching people off the page (notifications.md): the email outbox, in-app notifications and
 * their preferences, the waitlist, share links to reports, and integrators' webhooks.
 */

/**
 * Every email the product sends, one row per `email.send` job (the key is the job's): rendered
 * once, kept as the recipient sees it. Without SMTP it stays here (`stored`) for Admin → Outbox;
 * with SMTP it is `sent` once the server took it, so a job that runs again sends nothing twice.
 */
export const emails = pgTable(
  'emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    to: text('to').notNull(),
    kind: text('kind', { enum: EMAIL_KINDS }).notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    /** The headers beyond the usual (List-Unsubscribe, List-Unsubscribe-Post). */
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    attachments: jsonb('attachments')
      .$type<{ filename: string; contentType: string; size: number }[]>()
      .notNull()
      .default([]),
    status: text('status', { enum: EMAIL_STATUSES }).notNull(),
    error: text('error'),
    messageId: text('message_id'),
    sentAt: tstz('sent_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('emails_key_key').on(t.key),
    check('emails_kind_check', oneOf('kind', EMAIL_KINDS)),
    check('emails_status_check', oneOf('status', EMAIL_STATUSES)),
    index('emails_created_idx').on(t.createdAt),
  ],
);

/** A user's choice per optional email kind; no row means the kind's default. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: EMAIL_KINDS }).notNull(),
    email: boolean('email').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.kind] }),
    check('notification_preferences_kind_check', oneOf('kind', EMAIL_KINDS)),
  ],
);

/** The bell's rows: written by the same jobs as the emails, keyed so a job run twice writes one. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** Where the notification leads inside the web app (a path). */
    link: text('link'),
    readAt: tstz('read_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('notifications_key_key').on(t.key),
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_unread_idx')
      .on(t.userId)
      .where(sql`read_at IS NULL`),
  ],
);

/**
 * At most one alert of a kind per user per interval (the off-shift mechanic's "new request"
 * email: one per 15 minutes), claimed with one conditional upsert so concurrent jobs send one.
 */
export const alertThrottle = pgTable(
  'alert_throttle',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    lastSentAt: tstz('last_sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/** "Tell me when a mechanic is available": one entry per customer, for 24 hours. */
export const waitlistEntries = pgTable(
  'waitlist_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    plan: text('plan')
      .notNull()
      .references(() => plans.slug, { onDelete: 'cascade' }),
    vehicleSummary: text('vehicle_summary').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    notifiedAt: tstz('notified_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('waitlist_entries_customer_key').on(t.customerId),
    index('waitlist_entries_waiting_idx')
      .on(t.expiresAt)
      .where(sql`notified_at IS NULL`),
  ],
);

/**
 * A read-only link to a session's report for someone without an account. Only the token's hash
 * is kept: the database never holds a working link.
 */
export const shareLinks = pgTable(
  'share_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: tstz('expires_at').notNull(),
    revokedAt: tstz('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('share_links_token_hash_key').on(t.tokenHash), index('share_links_session_idx').on(t.sessionId)],
);

/** An integrator's endpoint: the events it wants and the secret its deliveries are signed with. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    url: text('url').notNull(),
    events: text('events').array().notNull(),
    /** `whsec_…`, shown once at creation (Standard Webhooks). */
    secret: text('secret').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    deletedAt: tstz('deleted_at'),
  },
  () => [
    check(
      'webhook_endpoints_events_check',
      sql.raw(
        `cardinality(events) >= 1 AND events <@ ARRAY[${WEBHOOK_EVENTS.map((e) => `'${e}'`).join(', ')}]::text[]`,
      ),
    ),
  ],
);

/**
 * One event for one endpoint (the Standard Webhooks message: its id is `webhook-id`, the same on
 * every retry and redelivery, so a receiver can dedupe), and how its attempts went.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The cause, e.g. `session_event:42`: one delivery per endpoint per cause. */
    eventKey: text('event_key').notNull(),
    eventType: text('event_type', { enum: WEBHOOK_EVENTS }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['pending', 'succeeded', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_cause_key').on(t.endpointId, t.eventKey),
    check('webhook_deliveries_status_check', oneOf('status', ['pending', 'succeeded', 'failed'])),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
  ],
);

/** Each HTTP attempt of a delivery: the log admins read. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.id)],
);
