/*
 * The whole data model (domain.md §3). Table and column names are the database's own, in
 * snake_case: operators query them directly. Rules the database can carry are declared here as
 * constraints, so no code path — a bug, a script, a second process — can break them. One module
 * per area under tables/; this file is what everything imports (and what drizzle-kit reads).
 */

export {
  ACTOR_ROLES,
  APPROVAL_STATUSES,
  FOLLOW_UPS,
  PARTIES,
  PLAN_KINDS,
  ROLES,
  SERVICE_TIERS,
  SESSION_STATUSES,
  SEVERITIES,
} from '../../shared/domain.js';
export * from './tables/accounts.js';
export * from './tables/catalogue.js';
export * from './tables/vehicles.js';
export * from './tables/sessions.js';
export * from './tables/chat.js';
export * from './tables/jobs.js';
export * from './tables/payments.js';
export * from './tables/money-after-capture.js';
export * from './tables/notifications.js';

import type { ACTOR_ROLES } from '../../shared/domain.js';
import type { attachments, messages, reports } from './tables/chat.js';
import type { mechanics, plans, workshops } from './tables/catalogue.js';
import type { users } from './tables/accounts.js';
import type { sessionEvents, sessionParticipants, sessions } from './tables/sessions.js';
import type { vehicles } from './tables/vehicles.js';

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
export type VehicleRow = typeof vehicles.$inferSelect;
export type { Role, SessionStatus } from '../../shared/domain.js';
export type ActorRole = (typeof ACTOR_ROLES)[number];
