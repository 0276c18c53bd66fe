import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { FOLLOW_UPS, SEVERITIES } from '../../../shared/domain.js';
import { ATTACHMENT_PURPOSES } from '../../../shared/photos.js';
import { createdAt, oneOf, troubleCodes, troubleCodesCheck, tstz, updatedAt } from './columns.js';

import { users } from './accounts.js';
import { mechanics } from './catalogue.js';
import { sessions } from './sessions.js';

export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;

// ── Chat, files, report, review, audit ───────────────────────────────────────────────────────

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    senderId: uuid('sender_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    body: text('body').notNull(),
    attachmentIds: uuid('attachment_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    clientId: uuid('client_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('messages_session_seq_key').on(t.sessionId, t.seq),
    uniqueIndex('messages_client_id_key').on(t.sessionId, t.senderId, t.clientId),
    check('messages_body_length_check', sql`char_length(body) BETWEEN 1 AND 4000`),
    check('messages_seq_check', sql`seq >= 1`),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    uploaderId: uuid('uploader_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    filename: text('filename').notNull(),
    contentType: text('content_type', { enum: ATTACHMENT_TYPES }).notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    /** `intake`: the customer added it to the request before a mechanic accepted (decision 014). */
    purpose: text('purpose', { enum: ATTACHMENT_PURPOSES }).notNull().default('chat'),
    createdAt: createdAt(),
  },
  (t) => [
    check('attachments_content_type_check', oneOf('content_type', ATTACHMENT_TYPES)),
    check('attachments_purpose_check', oneOf('purpose', ATTACHMENT_PURPOSES)),
    // Photos from the request are photos: a PDF goes into the chat.
    check('attachments_intake_is_photo_check', sql`purpose <> 'intake' OR content_type <> 'application/pdf'`),
    check('attachments_size_check', sql`size_bytes BETWEEN 1 AND 10485760`),
    index('attachments_session_idx').on(t.sessionId),
  ],
);

export type Recommendation = {
  title: string;
  urgency: (typeof SEVERITIES)[number];
  estimatedCostMinCents?: number;
  estimatedCostMaxCents?: number;
};

export const reports = pgTable(
  'reports',
  {
    sessionId: uuid('session_id')
      .primaryKey()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    mechanicId: uuid('mechanic_id')
      .notNull()
      .references(() => mechanics.userId, { onDelete: 'restrict' }),
    summary: text('summary').notNull(),
    findings: text('findings').notNull(),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    troubleCodes: troubleCodes(),
    recommendations: jsonb('recommendations').$type<Recommendation[]>().notNull().default([]),
    followUp: text('follow_up', { enum: FOLLOW_UPS }).notNull(),
    status: text('status', { enum: ['draft', 'submitted'] }).notNull(),
    submittedAt: tstz('submitted_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  () => [
    check('reports_severity_check', oneOf('severity', SEVERITIES)),
    check('reports_follow_up_check', oneOf('follow_up', FOLLOW_UPS)),
    check('reports_status_check', oneOf('status', ['draft', 'submitted'])),
    check('reports_submitted_at_check', sql`(status = 'submitted') = (submitted_at IS NOT NULL)`),
    check('reports_trouble_codes_check', troubleCodesCheck()),
  ],
);

export const reviews = pgTable(
  'reviews',
  {
    sessionId: uuid('session_id')
      .primaryKey()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    mechanicId: uuid('mechanic_id')
      .notNull()
      .references(() => mechanics.userId, { onDelete: 'restrict' }),
    rating: integer('rating').notNull(),
    comment: text('comment'),
    createdAt: createdAt(),
  },
  (t) => [check('reviews_rating_check', sql`rating BETWEEN 1 AND 5`), index('reviews_mechanic_idx').on(t.mechanicId)],
);

export const adminActions = pgTable(
  'admin_actions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    adminId: uuid('admin_id').references(() => users.id, {
      onDelete: 'restrict',
    }),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    reason: text('reason').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    createdAt: createdAt(),
  },
  (t) => [
    check('admin_actions_reason_check', sql`char_length(reason) BETWEEN 1 AND 2000`),
    index('admin_actions_created_idx').on(t.createdAt),
  ],
);
