import { z } from 'zod';
import { APPROVAL_STATUSES, PAYMENT_STATUSES, PLAN_KINDS, ROLES, SESSION_STATUSES } from '../domain.js';
import { Mechanic, Workshop } from './accounts.js';
import { endpoint } from './define.js';
import { Id, IdParams, itemsOf, pageOf, Timestamp, trimmed, UserParams } from './common.js';
import { Session, SessionEvent } from './sessions.js';

const tags = ['admin'];

export const Violation = z.object({
  invariant: z.string(),
  sessionId: Id.nullable(),
  detail: z.string(),
});
export type Violation = z.infer<typeof Violation>;

export const SessionInspection = z.object({
  location: z.object({ table: z.string(), note: z.string() }),
  session: Session,
  statusExplained: z.string(),
  participants: z.array(
    z.object({
      userId: Id,
      role: z.enum(['customer', 'mechanic']),
      email: z.string().nullable(),
      name: z.string().nullable(),
      joinedAt: Timestamp.nullable(),
      lastSeenAt: Timestamp.nullable(),
      connected: z.boolean(),
      secondsSinceSeen: z.number().int().nullable(),
    }),
  ),
  events: z.array(SessionEvent),
  deadline: z.object({
    at: Timestamp.nullable(),
    overdue: z.boolean(),
    /** What the sweeper does at `at`, as the end of "the sweeper will …". */
    action: z.string(),
    /** Live sessions: where the countdown both sides see reaches zero. */
    countdownEndsAt: Timestamp.nullable(),
    /** Live sessions: when it ends as abandoned unless a participant is seen again first. */
    abandonAt: Timestamp.nullable(),
  }),
  violations: z.array(Violation),
  allowedActions: z.array(z.string()),
  recommendations: z.array(z.string()),
});
export type SessionInspection = z.infer<typeof SessionInspection>;

export const MechanicInspection = z.object({
  user: z.object({ id: Id, email: z.string(), name: z.string(), role: z.enum(ROLES), banned: z.boolean() }),
  mechanic: Mechanic.nullable(),
  authLinked: z.boolean(),
  eligibility: z.object({ eligible: z.boolean(), blockedBy: z.string().nullable() }),
  activeSession: Session.nullable(),
  queueVisibility: z.array(
    z.object({ sessionId: Id, plan: z.string(), visible: z.boolean(), hiddenBy: z.string().nullable() }),
  ),
  recommendations: z.array(z.string()),
});
export type MechanicInspection = z.infer<typeof MechanicInspection>;

export const AdminMechanic = Mechanic.extend({ email: z.string(), name: z.string() });
export type AdminMechanic = z.infer<typeof AdminMechanic>;

/** Someone the console names: enough to recognise them. */
export const PersonRef = z.object({ id: Id, name: z.string(), email: z.string() });
export type PersonRef = z.infer<typeof PersonRef>;

/** A session as the console lists it: who asked, who helped, and what it costs. */
export const AdminSessionItem = Session.extend({
  customer: PersonRef,
  mechanic: PersonRef.nullable(),
  price: z.object({
    planName: z.string(),
    /** The plan's price as held at checkout (0 for the free plan). */
    cents: z.number().int(),
    currency: z.string(),
    /** null: no payment (the free plan). */
    paymentStatus: z.enum(PAYMENT_STATUSES).nullable(),
    /** Charged so far (plan and extensions), before refunds. */
    chargedCents: z.number().int(),
    refundedCents: z.number().int(),
  }),
});
export type AdminSessionItem = z.infer<typeof AdminSessionItem>;

export const UserSearchQuery = z.strictObject({
  q: z.string().trim().min(2, 'must be at least 2 characters').max(100, 'must be at most 100 characters'),
  role: z.enum(ROLES).optional(),
});

/** One account found by name or email; the mechanic fields are null for everyone else. */
export const UserSearchItem = z.object({
  id: Id,
  role: z.enum(ROLES),
  name: z.string(),
  email: z.string(),
  banned: z.boolean(),
  displayName: z.string().nullable(),
  approvalStatus: z.enum(APPROVAL_STATUSES).nullable(),
});
export type UserSearchItem = z.infer<typeof UserSearchItem>;

export const AuditEntry = z.object({
  id: z.number().int(),
  adminId: Id.nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  reason: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  createdAt: Timestamp,
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AdminSessionsQuery = z.strictObject({
  status: z.enum(SESSION_STATUSES).optional(),
  kind: z.enum(PLAN_KINDS).optional(),
  stuck: z.enum(['true', 'false']).optional(),
  /** One person's sessions (from the people search). */
  customerId: Id.optional(),
  mechanicId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});

export const AdminMechanicsQuery = z.strictObject({ approval: z.enum(APPROVAL_STATUSES).optional() });

export const MechanicInspectQuery = z
  .strictObject({ email: z.string().trim().max(320).optional(), userId: Id.optional() })
  .refine((q) => Boolean(q.email) !== Boolean(q.userId), { message: 'give exactly one of email or userId' });

export const AdminReasonBody = z.strictObject({
  reason: trimmed(1, 2000),
  value: z.boolean().optional(),
  /** Suspend only: end the mechanic's accepted or live session in the same action. */
  endActiveSession: z.boolean().optional(),
});
export const ForceEndBody = z.strictObject({ reason: trimmed(1, 2000) });
export const CreateWorkshopBody = z.strictObject({
  name: trimmed(2, 120),
  city: trimmed(1, 80),
  country: trimmed(2, 80),
  reason: trimmed(1, 2000).optional(),
});
export const AddMemberBody = z.strictObject({ userId: Id, reason: trimmed(1, 2000).optional() });
export const AuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).optional(),
});

const mechanicAction = (path: string, summary: string) =>
  endpoint({
    method: 'POST',
    path: `/api/admin/mechanics/:userId/${path}`,
    summary,
    tags,
    params: UserParams,
    body: AdminReasonBody,
    responses: { 200: Mechanic },
  });

export const admin = {
  sessions: endpoint({
    method: 'GET',
    path: '/api/admin/sessions',
    summary: 'All sessions; stuck=true lists open sessions past their deadline',
    tags,
    query: AdminSessionsQuery,
    responses: { 200: pageOf(AdminSessionItem) },
  }),
  users: endpoint({
    method: 'GET',
    path: '/api/admin/users',
    summary: 'Find customers and mechanics by part of their name or email (at most 20)',
    tags,
    query: UserSearchQuery,
    responses: { 200: z.object({ items: z.array(UserSearchItem), hasMore: z.boolean() }) },
  }),
  inspectSession: endpoint({
    method: 'GET',
    path: '/api/admin/sessions/:id/inspect',
    summary: 'Explain one session: state, participants, timeline, deadline, violations',
    tags,
    params: IdParams,
    responses: { 200: SessionInspection },
  }),
  inspectMechanic: endpoint({
    method: 'GET',
    path: '/api/admin/mechanics/inspect',
    summary: 'Explain why a mechanic can or cannot see each request',
    tags,
    query: MechanicInspectQuery,
    responses: { 200: MechanicInspection },
  }),
  invariants: endpoint({
    method: 'GET',
    path: '/api/admin/invariants',
    summary: 'Check every invariant over the whole database',
    tags,
    responses: { 200: z.object({ ok: z.boolean(), violations: z.array(Violation) }) },
  }),
  forceEnd: endpoint({
    method: 'POST',
    path: '/api/admin/sessions/:id/force-end',
    summary: 'Force-end an open session (T13)',
    tags,
    params: IdParams,
    body: ForceEndBody,
    responses: { 200: Session },
  }),
  mechanics: endpoint({
    method: 'GET',
    path: '/api/admin/mechanics',
    summary: 'Mechanics, optionally by approval status',
    tags,
    query: AdminMechanicsQuery,
    responses: { 200: itemsOf(AdminMechanic) },
  }),
  approve: mechanicAction('approve', 'Approve a mechanic'),
  decline: mechanicAction('decline', 'Decline a pending application (the approval becomes suspended)'),
  suspend: mechanicAction(
    'suspend',
    'Suspend a mechanic (off shift; refused while in a session unless endActiveSession)',
  ),
  canAccept: mechanicAction('can-accept', 'Allow or stop a mechanic accepting sessions (value)'),
  createWorkshop: endpoint({
    method: 'POST',
    path: '/api/admin/workshops',
    summary: 'Create a workshop',
    tags,
    body: CreateWorkshopBody,
    responses: { 201: Workshop.extend({ status: z.enum(['active', 'suspended']) }) },
  }),
  addMember: endpoint({
    method: 'POST',
    path: '/api/admin/workshops/:id/members',
    summary: 'Make a mechanic a partner of this workshop',
    tags,
    params: IdParams,
    body: AddMemberBody,
    responses: { 200: Mechanic },
  }),
  audit: endpoint({
    method: 'GET',
    path: '/api/admin/audit',
    summary: 'Admin actions, newest first',
    tags,
    query: AuditQuery,
    responses: { 200: itemsOf(AuditEntry) },
  }),
};
