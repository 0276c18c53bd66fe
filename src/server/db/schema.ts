import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/*
 * The whole data model (domain.md §3). Table and column names are the database's own, in
 * snake_case: operators query them directly. Rules the database can carry are declared here as
 * constraints, so no code path — a bug, a script, a second process — can break them.
 */

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const tstz = (name: string) => timestamp(name, { withTimezone: true });

/** `column IN ('a','b')` for CHECK constraints, with the values inlined as literals. */
const oneOf = (column: string, values: readonly string[]) =>
  sql.raw(`${column} IN (${values.map((v) => `'${v}'`).join(', ')})`);

export const ROLES = ['customer', 'mechanic', 'admin'] as const;
export const SERVICE_TIERS = ['virtual_only', 'workshop_partner'] as const;
export const APPROVAL_STATUSES = ['pending', 'approved', 'suspended'] as const;
export const PLAN_KINDS = ['chat', 'video', 'diagnostic'] as const;
export const SESSION_STATUSES = [
  'pending',
  'accepted',
  'live',
  'completed',
  'cancelled',
  'no_show',
  'expired',
] as const;
export const ACTOR_ROLES = ['customer', 'mechanic', 'system', 'admin'] as const;
export const PARTIES = ['customer', 'mechanic', 'both'] as const;
export const SEVERITIES = ['info', 'soon', 'urgent', 'unsafe_to_drive'] as const;
export const FOLLOW_UPS = ['none', 'in_person_diagnostic', 'repair_quote'] as const;

// ── Auth library tables (better-auth), renamed so `sessions` stays the product's own ──────────

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    emailVerified: boolean('email_verified').notNull().default(false),
    image: text('image'),
    role: text('role', { enum: ROLES }).notNull().default('customer'),
    banned: boolean('banned').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    check('users_role_check', oneOf('role', ROLES)),
  ],
);

export const authSessions = pgTable(
  'auth_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    token: text('token').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: tstz('expires_at').notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('auth_sessions_user_id_idx').on(t.userId)],
);

export const authAccounts = pgTable(
  'auth_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: tstz('access_token_expires_at'),
    refreshTokenExpiresAt: tstz('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('auth_accounts_user_id_idx').on(t.userId)],
);

export const authVerifications = pgTable('auth_verifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: tstz('expires_at').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Fixed-window request counters shared by every process (sign-in attempts per address, uploads per
 * user): one row per key, counted up atomically by one upsert.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    windowStartedAt: tstz('window_started_at').notNull(),
  },
  (t) => [index('rate_limits_window_idx').on(t.windowStartedAt)],
);

/** Secrets the server generates once and every process must share (the auth secret when unset). */
export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

// ── Mechanics, workshops, plans ──────────────────────────────────────────────────────────────

export const workshops = pgTable(
  'workshops',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    city: text('city').notNull(),
    country: text('country').notNull(),
    status: text('status', { enum: ['active', 'suspended'] })
      .notNull()
      .default('active'),
    createdAt: createdAt(),
  },
  (t) => [
    check('workshops_status_check', oneOf('status', ['active', 'suspended'])),
    uniqueIndex('workshops_name_city_key').on(t.name, t.city),
  ],
);

export const mechanics = pgTable(
  'mechanics',
  {
    // The mechanic's id *is* the auth user's id: one identity per person.
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'restrict' }),
    displayName: text('display_name').notNull(),
    serviceTier: text('service_tier', { enum: SERVICE_TIERS }).notNull(),
    workshopId: uuid('workshop_id').references(() => workshops.id, {
      onDelete: 'restrict',
    }),
    approvalStatus: text('approval_status', { enum: APPROVAL_STATUSES }).notNull().default('pending'),
    canAcceptSessions: boolean('can_accept_sessions').notNull().default(true),
    onShift: boolean('on_shift').notNull().default(false),
    shiftChangedAt: tstz('shift_changed_at'),
    brands: text('brands')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    yearsExperience: integer('years_experience').notNull().default(0),
    bio: text('bio').notNull().default(''),
    ratingAvg: doublePrecision('rating_avg').notNull().default(0),
    ratingCount: integer('rating_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('mechanics_service_tier_check', oneOf('service_tier', SERVICE_TIERS)),
    check('mechanics_approval_status_check', oneOf('approval_status', APPROVAL_STATUSES)),
    // A workshop link exists exactly for workshop partners.
    check(
      'mechanics_workshop_matches_tier_check',
      sql`(service_tier = 'workshop_partner') = (workshop_id IS NOT NULL)`,
    ),
    check('mechanics_years_experience_check', sql`years_experience BETWEEN 0 AND 80`),
    check('mechanics_rating_check', sql`rating_count >= 0 AND rating_avg BETWEEN 0 AND 5`),
    index('mechanics_workshop_id_idx').on(t.workshopId),
  ],
);

export const plans = pgTable(
  'plans',
  {
    slug: text('slug').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind', { enum: PLAN_KINDS }).notNull(),
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull().default('USD'),
    minutes: integer('minutes').notNull(),
    requiredTier: text('required_tier', { enum: ['workshop_partner'] }),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  () => [
    check('plans_kind_check', oneOf('kind', PLAN_KINDS)),
    check('plans_required_tier_check', sql`required_tier IS NULL OR required_tier = 'workshop_partner'`),
    check('plans_price_check', sql`price_cents >= 0`),
    check('plans_minutes_check', sql`minutes > 0`),
  ],
);

export const vehicles = pgTable(
  'vehicles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    vin: text('vin'),
    year: integer('year').notNull(),
    make: text('make').notNull(),
    model: text('model').notNull(),
    mileage: integer('mileage'),
    createdAt: createdAt(),
  },
  (t) => [
    check('vehicles_vin_check', sql`vin IS NULL OR length(vin) = 17`),
    check('vehicles_year_check', sql`year BETWEEN 1886 AND 2100`),
    index('vehicles_owner_id_idx').on(t.ownerId),
  ],
);

// ── Sessions: one table for every kind; a pending session *is* the request ──────────────────

export type VehicleSnapshot = {
  year: number;
  make: string;
  model: string;
  vin?: string;
  mileage?: number;
};

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    mechanicId: uuid('mechanic_id').references(() => mechanics.userId, {
      onDelete: 'restrict',
    }),
    plan: text('plan')
      .notNull()
      .references(() => plans.slug, { onDelete: 'restrict' }),
    kind: text('kind', { enum: PLAN_KINDS }).notNull(),
    vehicle: jsonb('vehicle').$type<VehicleSnapshot>().notNull(),
    concern: text('concern').notNull(),
    urgent: boolean('urgent').notNull().default(false),
    preferredMechanicId: uuid('preferred_mechanic_id').references(() => mechanics.userId, { onDelete: 'set null' }),
    workshopId: uuid('workshop_id').references(() => workshops.id, {
      onDelete: 'restrict',
    }),
    status: text('status', { enum: SESSION_STATUSES }).notNull().default('pending'),
    version: integer('version').notNull().default(1),
    deadlineAt: tstz('deadline_at'),
    requestedAt: tstz('requested_at').notNull(),
    acceptedAt: tstz('accepted_at'),
    startedAt: tstz('started_at'),
    endedAt: tstz('ended_at'),
    plannedMinutes: integer('planned_minutes').notNull(),
    extendedMinutes: integer('extended_minutes').notNull().default(0),
    durationMinutes: integer('duration_minutes'),
    endReason: text('end_reason'),
    endedBy: text('ended_by', {
      enum: ['customer', 'mechanic', 'system', 'admin'],
    }),
    noShowParty: text('no_show_party', { enum: PARTIES }),
    /** Last message `seq` handed out; incremented in the message insert transaction. */
    messageSeq: integer('message_seq').notNull().default(0),
    /** The last countdown warning sent (5, then 1 minute left): compare-and-set, so once each. */
    timerWarnedMinutes: integer('timer_warned_minutes'),
    idempotencyKey: text('idempotency_key'),
    /** sha256 of the canonical create body, to tell a retry from a reuse of the key. */
    idempotencyHash: text('idempotency_hash'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('sessions_status_check', oneOf('status', SESSION_STATUSES)),
    check('sessions_kind_check', oneOf('kind', PLAN_KINDS)),
    check('sessions_ended_by_check', sql`ended_by IS NULL OR ${oneOf('ended_by', ACTOR_ROLES)}`),
    check('sessions_no_show_party_check', sql`no_show_party IS NULL OR ${oneOf('no_show_party', PARTIES)}`),
    check('sessions_concern_length_check', sql`char_length(concern) BETWEEN 10 AND 4000`),
    check('sessions_version_check', sql`version >= 1`),
    check('sessions_mechanic_when_assigned_check', sql`status NOT IN ('accepted', 'live') OR mechanic_id IS NOT NULL`),
    check('sessions_started_when_live_check', sql`status NOT IN ('live', 'completed') OR started_at IS NOT NULL`),
    check(
      'sessions_ended_when_terminal_check',
      sql`status NOT IN ('completed', 'cancelled', 'no_show', 'expired') OR ended_at IS NOT NULL`,
    ),
    check('sessions_no_show_party_only_in_no_show_check', sql`(status = 'no_show') = (no_show_party IS NOT NULL)`),
    check(
      'sessions_deadline_when_open_check',
      sql`status NOT IN ('pending', 'accepted', 'live') OR deadline_at IS NOT NULL`,
    ),
    check('sessions_minutes_check', sql`planned_minutes > 0 AND extended_minutes >= 0`),
    // At most one open session per customer, and one assigned session per mechanic.
    uniqueIndex('sessions_one_open_per_customer_key')
      .on(t.customerId)
      .where(sql`status IN ('pending', 'accepted', 'live')`),
    uniqueIndex('sessions_one_active_per_mechanic_key')
      .on(t.mechanicId)
      .where(sql`status IN ('accepted', 'live')`),
    uniqueIndex('sessions_idempotency_key')
      .on(t.customerId, t.idempotencyKey)
      .where(sql`idempotency_key IS NOT NULL`),
    // The sweeper's scan: open sessions by deadline.
    index('sessions_open_deadline_idx')
      .on(t.deadlineAt)
      .where(sql`status IN ('pending', 'accepted', 'live')`),
    index('sessions_pending_queue_idx')
      .on(t.urgent, t.requestedAt)
      .where(sql`status = 'pending'`),
    index('sessions_customer_idx').on(t.customerId, t.requestedAt),
    index('sessions_mechanic_idx').on(t.mechanicId, t.requestedAt),
    index('sessions_status_idx').on(t.status, t.requestedAt),
  ],
);

export const sessionParticipants = pgTable(
  'session_participants',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    role: text('role', { enum: ['customer', 'mechanic'] }).notNull(),
    joinedAt: tstz('joined_at'),
    lastSeenAt: tstz('last_seen_at'),
    connected: boolean('connected').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.userId] }),
    check('session_participants_role_check', oneOf('role', ['customer', 'mechanic'])),
    index('session_participants_user_idx').on(t.userId),
  ],
);

export const sessionEvents = pgTable(
  'session_events',
  {
    // The global, monotonic cursor for realtime delivery and replay.
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    actorId: uuid('actor_id'),
    actorRole: text('actor_role', { enum: ACTOR_ROLES }).notNull(),
    fromStatus: text('from_status', { enum: SESSION_STATUSES }),
    toStatus: text('to_status', { enum: SESSION_STATUSES }),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    check('session_events_actor_role_check', oneOf('actor_role', ACTOR_ROLES)),
    index('session_events_session_idx').on(t.sessionId, t.id),
  ],
);

/**
 * WebRTC signals too large for a NOTIFY payload (8000 bytes) wait here for the other process to
 * read them by id; the sweeper deletes them after a minute. Nothing durable lives here.
 */
export const realtimeRelays = pgTable(
  'realtime_relays',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('realtime_relays_created_idx').on(t.createdAt)],
);

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
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'attachments_content_type_check',
      oneOf('content_type', ['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
    ),
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

export type UserRow = typeof users.$inferSelect;
export type MechanicRow = typeof mechanics.$inferSelect;
export type WorkshopRow = typeof workshops.$inferSelect;
export type PlanRow = typeof plans.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type ParticipantRow = typeof sessionParticipants.$inferSelect;
export type SessionEventRow = typeof sessionEvents.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;
export type ReportRow = typeof reports.$inferSelect;
export type Role = (typeof ROLES)[number];
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type ActorRole = (typeof ACTOR_ROLES)[number];
