/*
 * The domain's vocabulary (domain.md §3–§4), defined once for the server (schema, machine,
 * repositories) and the web app (labels, filters). Nothing here does anything.
 */

export const ROLES = ['customer', 'mechanic', 'admin'] as const;
export type Role = (typeof ROLES)[number];

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
export type SessionStatus = (typeof SESSION_STATUSES)[number];
/** Not yet ended: the sweeper watches their deadlines; a customer has at most one. */
export const OPEN_STATUSES = ['pending', 'accepted', 'live'] as const satisfies readonly SessionStatus[];
export const TERMINAL_STATUSES = [
  'completed',
  'cancelled',
  'no_show',
  'expired',
] as const satisfies readonly SessionStatus[];
/** A mechanic is assigned: the session holds their one active slot. */
export const ASSIGNED_STATUSES = ['accepted', 'live'] as const satisfies readonly SessionStatus[];

export const isOpen = (status: SessionStatus): boolean => (OPEN_STATUSES as readonly string[]).includes(status);
export const isTerminal = (status: SessionStatus): boolean => (TERMINAL_STATUSES as readonly string[]).includes(status);
export const isAssigned = (status: SessionStatus): boolean => (ASSIGNED_STATUSES as readonly string[]).includes(status);

export const ACTOR_ROLES = ['customer', 'mechanic', 'system', 'admin'] as const;
export const PARTIES = ['customer', 'mechanic', 'both'] as const;

/** How serious a finding is; also the severity hints of trouble codes. */
export const SEVERITIES = ['info', 'soon', 'urgent', 'unsafe_to_drive'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const FOLLOW_UPS = ['none', 'in_person_diagnostic', 'repair_quote'] as const;

const MINUTE = 60_000;

/**
 * When the countdown shown to both sides reaches zero: started + planned + extended minutes. The
 * grace period after it is the sweeper's silent buffer, not time the customer is promised.
 */
export function promisedEnd(startedAt: Date, plannedMinutes: number, extendedMinutes: number): Date {
  return new Date(startedAt.getTime() + (plannedMinutes + extendedMinutes) * MINUTE);
}

/** payments.md §5. `capture_failed`: the capture failed after its retries (an admin retries it). */
export const PAYMENT_STATUSES = [
  'requires_payment_method',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'voided',
  'failed',
  'capture_failed',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const PAYMENT_PROVIDERS = ['local', 'stripe'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

export const JOB_STATES = ['queued', 'running', 'retrying', 'dead', 'done'] as const;
export type JobState = (typeof JOB_STATES)[number];

/**
 * What the product emails people (notifications.md §2). Account emails cannot be turned off; the
 * rest can, per kind, and `new_request` (the off-shift alert) is off until a mechanic opts in.
 */
export const ACCOUNT_EMAIL_KINDS = [
  'email_verification',
  'password_reset',
  'account_exists',
  'session_receipt',
  'refund_issued',
] as const;
export const OPTIONAL_EMAIL_KINDS = [
  'application_update',
  'request_accepted',
  'mechanic_no_show',
  'report_ready',
  'weekly_statement',
  'new_request',
  'mechanic_available',
] as const;
export const EMAIL_KINDS = [...ACCOUNT_EMAIL_KINDS, ...OPTIONAL_EMAIL_KINDS] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];
export type OptionalEmailKind = (typeof OPTIONAL_EMAIL_KINDS)[number];
/** Who may turn a kind on or off, and what it is until they do. */
export const EMAIL_KIND_DEFAULTS: Record<OptionalEmailKind, boolean> = {
  application_update: true,
  request_accepted: true,
  mechanic_no_show: true,
  report_ready: true,
  weekly_statement: true,
  new_request: false,
  mechanic_available: true,
};
export const isOptionalEmailKind = (kind: string): kind is OptionalEmailKind =>
  (OPTIONAL_EMAIL_KINDS as readonly string[]).includes(kind);

/** Stored in the outbox (no SMTP configured), handed to the SMTP server, not sent (turned off), or failed. */
export const EMAIL_STATUSES = ['stored', 'sent', 'suppressed', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** Lifecycle events integrators can subscribe to (notifications.md §6). */
export const WEBHOOK_EVENTS = [
  'session.created',
  'session.accepted',
  'session.live',
  'session.ended',
  'report.submitted',
  'payment.captured',
  'payment.refunded',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
