import { and, asc, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { ASSIGNED_STATUSES, OPEN_STATUSES } from '../../shared/domain.js';
import { runStatement, type Executor, type Statement } from '../db/client.js';
import {
  mechanics,
  plans,
  sessionEvents,
  sessionParticipants,
  sessions,
  type ActorRole,
  type ParticipantRow,
  type SessionEventRow,
  type SessionRow,
  type SessionStatus,
} from '../db/schema.js';
import { tableShape } from '../db/statements.js';
import type { SessionChanges, SessionSnapshot } from './lifecycle.types.js';
import { DEFAULT_RETRY } from '../jobs/queue.js';

/** The only module with SQL about sessions, their participants and their events. */

export type SessionWithParticipants = {
  session: SessionRow;
  participants: ParticipantRow[];
};

export async function findSession(ex: Executor, id: string): Promise<SessionRow | undefined> {
  const [row] = await ex.select().from(sessions).where(eq(sessions.id, id));
  return row;
}

export async function findParticipants(ex: Executor, sessionIds: string[]): Promise<ParticipantRow[]> {
  if (sessionIds.length === 0) return [];
  return ex
    .select()
    .from(sessionParticipants)
    .where(inArray(sessionParticipants.sessionId, sessionIds))
    .orderBy(asc(sessionParticipants.role));
}

const SESSION = tableShape(sessions, 's');
const PARTICIPANT = tableShape(sessionParticipants, 'p');
const LOAD_SESSION: Statement = {
  name: 'load_session',
  text: `SELECT ${SESSION.select}, ${PARTICIPANT.select}
    FROM sessions s LEFT JOIN session_participants p ON p.session_id = s.id
    WHERE s.id = $1::uuid`,
};

/** The session and its participants in one round trip: read by every transition. */
export async function loadSession(ex: Executor, id: string): Promise<SessionWithParticipants | undefined> {
  const rows = await runStatement<Record<string, unknown>>(ex, LOAD_SESSION, [id]);
  if (rows.length === 0) return undefined;
  const participants = rows.flatMap((raw) => PARTICIPANT.read(raw) ?? []);
  participants.sort((a, b) => a.role.localeCompare(b.role));
  return { session: SESSION.read(rows[0]!)!, participants };
}

export type AcceptContext = {
  mechanic: typeof mechanics.$inferSelect | undefined;
  hasActiveSession: boolean;
  releasedBefore: boolean;
  requiredTier: 'workshop_partner' | null;
};

/**
 * Everything the eligibility rules need to judge one accept, in one round trip. `lock: false` for
 * a read that decides nothing (may this mechanic look at the request's photos?).
 */
export async function loadAcceptContext(
  ex: Executor,
  mechanicId: string,
  sessionId: string,
  plan: string,
  { lock = true }: { lock?: boolean } = {},
): Promise<AcceptContext> {
  const query = ex
    .select({
      mechanic: mechanics,
      busy: sql<boolean>`EXISTS (SELECT 1 FROM ${sessions} s WHERE s.mechanic_id = ${mechanicId}
        AND s.status IN ('accepted', 'live'))`,
      released: sql<boolean>`EXISTS (SELECT 1 FROM ${sessionEvents} e WHERE e.session_id = ${sessionId}
        AND e.type = 'session.released' AND e.actor_id = ${mechanicId})`,
      requiredTier: sql<'workshop_partner' | null>`(SELECT p.required_tier FROM ${plans} p WHERE p.slug = ${plan})`,
    })
    .from(mechanics)
    .where(eq(mechanics.userId, mechanicId));
  // Held until the accept commits: an admin suspending this mechanic (FOR UPDATE) waits, then
  // sees the accepted session, so a suspension and an accept cannot both win.
  const [row] = lock ? await query.for('share', { of: mechanics }) : await query;
  return {
    mechanic: row?.mechanic,
    hasActiveSession: Boolean(row?.busy),
    releasedBefore: Boolean(row?.released),
    requiredTier: row?.requiredTier ?? null,
  };
}

export function toSnapshot({ session, participants }: SessionWithParticipants): SessionSnapshot {
  const party = (userId: string | null) => {
    const row = userId ? participants.find((p) => p.userId === userId) : undefined;
    return row
      ? {
          userId: row.userId,
          joinedAt: row.joinedAt,
          lastSeenAt: row.lastSeenAt,
        }
      : null;
  };
  return {
    status: session.status,
    customerId: session.customerId,
    mechanicId: session.mechanicId,
    urgent: session.urgent,
    deadlineAt: session.deadlineAt,
    acceptedAt: session.acceptedAt,
    startedAt: session.startedAt,
    plannedMinutes: session.plannedMinutes,
    extendedMinutes: session.extendedMinutes,
    customer: party(session.customerId) ?? {
      userId: session.customerId,
      joinedAt: null,
      lastSeenAt: null,
    },
    mechanic: party(session.mechanicId),
  };
}

/**
 * Compare-and-set: writes only if nobody changed the session since it was read (same version).
 * Returns undefined when the race was lost; the caller re-reads and decides again.
 */
export async function compareAndSet(
  ex: Executor,
  id: string,
  expectedVersion: number,
  changes: SessionChanges,
  now: Date,
): Promise<SessionRow | undefined> {
  const [row] = await ex
    .update(sessions)
    .set({ ...changes, version: sql`${sessions.version} + 1`, updatedAt: now })
    .where(and(eq(sessions.id, id), eq(sessions.version, expectedVersion)))
    .returning();
  return row;
}

export type NewEvent = {
  sessionId: string;
  type: string;
  actorId: string | null;
  actorRole: ActorRole;
  fromStatus: SessionStatus | null;
  toStatus: SessionStatus | null;
  payload: Record<string, unknown>;
  createdAt: Date;
};

/**
 * The session events people hear about off the page (notifications.md): appending one also
 * enqueues its `notify` job, in the same statement — so it commits with the event, costs no round
 * trip, and no code path that appends an event can forget it. The job's key and payload are those
 * of `announce(…, { type: 'session_event', eventId })` (notifications/announce.ts).
 */
export const ANNOUNCED_EVENTS = [
  'session.created',
  'session.accepted',
  'session.started',
  'session.ended',
  'report.submitted',
] as const;

const APPEND_EVENT: Statement = {
  name: 'append_event',
  text: `WITH event AS (
      INSERT INTO session_events (session_id, type, actor_id, actor_role, from_status, to_status, payload, created_at)
      VALUES ($1::uuid, $2::text, $3::uuid, $4::text, $5::text, $6::text, $7::jsonb, $8::timestamptz)
      RETURNING id, type, created_at),
    announced AS (
      INSERT INTO jobs (kind, key, payload, max_attempts, run_at, created_at, updated_at)
      SELECT 'notify', 'notify:session_event:' || event.id,
        jsonb_build_object('type', 'session_event', 'eventId', event.id),
        ${DEFAULT_RETRY.maxAttempts}, event.created_at, event.created_at, event.created_at
      FROM event WHERE event.type IN (${ANNOUNCED_EVENTS.map((t) => `'${t}'`).join(', ')})
      ON CONFLICT (key) DO NOTHING)
    SELECT id FROM event`,
};

/** Appends to the session's history (announcing it when it is one of ANNOUNCED_EVENTS); the table's trigger notifies realtime on commit. */
export async function appendEvent(ex: Executor, event: NewEvent): Promise<number> {
  const [row] = await runStatement<{ id: number | string }>(ex, APPEND_EVENT, [
    event.sessionId,
    event.type,
    event.actorId,
    event.actorRole,
    event.fromStatus,
    event.toStatus,
    JSON.stringify(event.payload),
    event.createdAt.toISOString(),
  ]);
  return Number(row!.id);
}

export type NewSession = Pick<
  SessionRow,
  | 'customerId'
  | 'plan'
  | 'kind'
  | 'vehicle'
  | 'vehicleId'
  | 'troubleCodes'
  | 'concern'
  | 'urgent'
  | 'preferredMechanicId'
  | 'workshopId'
  | 'deadlineAt'
  | 'requestedAt'
  | 'plannedMinutes'
  | 'idempotencyKey'
  | 'idempotencyHash'
>;

/** T1's writes: the pending session and its customer as the first participant. */
export async function insertSession(ex: Executor, values: NewSession): Promise<SessionWithParticipants> {
  const [session] = await ex
    .insert(sessions)
    .values({ ...values, status: 'pending', createdAt: values.requestedAt, updatedAt: values.requestedAt })
    .returning();
  const participants = await ex
    .insert(sessionParticipants)
    .values({ sessionId: session!.id, userId: values.customerId, role: 'customer', lastSeenAt: values.requestedAt })
    .returning();
  return { session: session!, participants };
}

export async function findByIdempotencyKey(ex: Executor, customerId: string, key: string) {
  const [row] = await ex
    .select()
    .from(sessions)
    .where(and(eq(sessions.customerId, customerId), eq(sessions.idempotencyKey, key)));
  return row;
}

/** A free session counts as used unless it was cancelled before any mechanic accepted it. */
export async function hasUsedFreePlan(ex: Executor, customerId: string): Promise<boolean> {
  const rows = await ex
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      and(
        eq(sessions.customerId, customerId),
        eq(sessions.plan, 'free'),
        sql`${sessions.endReason} IS DISTINCT FROM 'cancelled_before_accept'`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export async function findActiveAssignment(ex: Executor, mechanicId: string) {
  const [row] = await ex
    .select()
    .from(sessions)
    .where(and(eq(sessions.mechanicId, mechanicId), inArray(sessions.status, [...ASSIGNED_STATUSES])))
    .limit(1);
  return row;
}

export async function hasActiveAssignment(ex: Executor, mechanicId: string): Promise<boolean> {
  return (await findActiveAssignment(ex, mechanicId)) !== undefined;
}

export type PendingRow = SessionRow & {
  requiredTier: 'workshop_partner' | null;
  releasedByMechanic: boolean;
};

/** Pending sessions, urgent first then oldest, each with whether `mechanicId` released it before. */
export async function listPending(ex: Executor, mechanicId: string | null, limit: number): Promise<PendingRow[]> {
  const released = mechanicId
    ? sql<boolean>`EXISTS (SELECT 1 FROM ${sessionEvents} e WHERE e.session_id = ${sessions.id}
        AND e.type = 'session.released' AND e.actor_id = ${mechanicId})`
    : sql<boolean>`false`;
  const rows = await ex
    .select({
      session: sessions,
      requiredTier: plans.requiredTier,
      releasedByMechanic: released,
    })
    .from(sessions)
    .innerJoin(plans, eq(plans.slug, sessions.plan))
    .where(eq(sessions.status, 'pending'))
    .orderBy(desc(sessions.urgent), asc(sessions.requestedAt), asc(sessions.id))
    .limit(limit);
  return rows.map((r) => ({
    ...r.session,
    requiredTier: r.requiredTier,
    releasedByMechanic: Boolean(r.releasedByMechanic),
  }));
}

export type ListFilter = {
  customerId?: string;
  mechanicId?: string;
  vehicleId?: string;
  statuses?: readonly SessionStatus[];
  kind?: string;
  stuckAt?: Date;
  limit: number;
  cursor?: { requestedAt: Date; id: string };
};

/** Newest first, keyset-paged on (requested_at, id). */
export async function listSessions(ex: Executor, filter: ListFilter): Promise<SessionRow[]> {
  const conditions = [
    filter.customerId ? eq(sessions.customerId, filter.customerId) : undefined,
    filter.mechanicId ? eq(sessions.mechanicId, filter.mechanicId) : undefined,
    filter.vehicleId ? eq(sessions.vehicleId, filter.vehicleId) : undefined,
    filter.statuses ? inArray(sessions.status, [...filter.statuses]) : undefined,
    filter.kind ? eq(sessions.kind, filter.kind as SessionRow['kind']) : undefined,
    filter.stuckAt
      ? and(inArray(sessions.status, [...OPEN_STATUSES]), lte(sessions.deadlineAt, filter.stuckAt))
      : undefined,
    filter.cursor
      ? sql`(${sessions.requestedAt}, ${sessions.id}) < (${filter.cursor.requestedAt.toISOString()}::timestamptz, ${filter.cursor.id}::uuid)`
      : undefined,
  ];
  return ex
    .select()
    .from(sessions)
    .where(and(...conditions))
    .orderBy(desc(sessions.requestedAt), desc(sessions.id))
    .limit(filter.limit);
}

export async function listEvents(
  ex: Executor,
  sessionId: string,
  after: number,
  limit: number,
): Promise<SessionEventRow[]> {
  return ex
    .select()
    .from(sessionEvents)
    .where(and(eq(sessionEvents.sessionId, sessionId), gt(sessionEvents.id, after)))
    .orderBy(asc(sessionEvents.id))
    .limit(limit);
}

export async function findSessionsByIds(ex: Executor, ids: string[]): Promise<SessionRow[]> {
  if (ids.length === 0) return [];
  return ex.select().from(sessions).where(inArray(sessions.id, ids));
}

/** Whether `mechanicId` is (or was, to the end) the mechanic of one of the vehicle's sessions. */
export async function isMechanicOfVehicle(ex: Executor, vehicleId: string, mechanicId: string): Promise<boolean> {
  const rows = await ex
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.vehicleId, vehicleId), eq(sessions.mechanicId, mechanicId)))
    .limit(1);
  return rows.length > 0;
}

/** Whether this customer ever had a session with this mechanic (the mechanic stays known to them). */
export async function hasSessionWith(ex: Executor, customerId: string, mechanicId: string): Promise<boolean> {
  const rows = await ex
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.customerId, customerId), eq(sessions.mechanicId, mechanicId)))
    .limit(1);
  return rows.length > 0;
}
