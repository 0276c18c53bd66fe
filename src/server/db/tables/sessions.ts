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
import { ACTOR_ROLES, PARTIES, PLAN_KINDS, SESSION_STATUSES } from '../../../shared/domain.js';
import { createdAt, oneOf, troubleCodes, troubleCodesCheck, tstz, updatedAt } from './columns.js';

import { users } from './accounts.js';
import { mechanics, plans, workshops } from './catalogue.js';
import { vehicles } from './vehicles.js';

// ── Sessions: one table for every kind; a pending session *is* the request ──────────────────

export type VehicleSnapshot = {
  year: number;
  make: string;
  model: string;
  vin?: string;
  mileage?: number;
  trim?: string;
  engine?: string;
  fuel?: string;
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
    /** The saved vehicle it was requested for; the snapshot above survives the vehicle's deletion. */
    vehicleId: uuid('vehicle_id').references(() => vehicles.id, { onDelete: 'set null' }),
    troubleCodes: troubleCodes(),
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
    check('sessions_trouble_codes_check', troubleCodesCheck()),
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
    // A vehicle's history, newest first.
    index('sessions_vehicle_idx')
      .on(t.vehicleId, t.requestedAt)
      .where(sql`vehicle_id IS NOT NULL`),
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
