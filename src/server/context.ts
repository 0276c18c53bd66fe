import type { Logger } from 'pino';
import type { Windows } from './config.js';
import type { Db } from './db/client.js';
import type { Mailer } from './notifications/mailer.js';
import type { PaymentProvider } from './payments/provider.js';

export type Clock = { now: () => Date };

export const systemClock: Clock = { now: () => new Date() };

/**
 * What happened, published after commit. Notices carry ids, never payloads: subscribers read the
 * committed rows, so a notice can be delivered twice or late and nothing is wrong or lost.
 */
export type Notice =
  /** A committed `session_events` row: a transition, a message, a countdown warning, a report. */
  | { kind: 'session'; sessionId: string; eventId: number; type?: string; seq?: number | null }
  /** Sign-ins of this user must be looked up again (a session revoked, a role changed): evict cached ones. */
  | { kind: 'auth'; userId: string }
  /** A mechanic's standing changed (shift, approval, suspension, can-accept): their queue may change. */
  | { kind: 'mechanic'; userId: string }
  /** An in-app notification was written for this user: their open pages' bells light up. */
  | { kind: 'notification'; userId: string; notificationId: string }
  /** A job may run now (the jobs table's trigger, at commit): wake the runners. */
  | { kind: 'job' }
  /** Ephemeral, never stored or replayed: a participant's sockets came or went. */
  | { kind: 'presence'; sessionId: string; userId: string; connected: boolean }
  /** Ephemeral: a participant is typing. */
  | { kind: 'typing'; sessionId: string; userId: string }
  /** Ephemeral: a WebRTC signal for one participant (inline, or parked in a relay row when large). */
  | { kind: 'rtc'; sessionId: string; from: string; to: string; data?: unknown; relayId?: number };

export type Bus = { publish: (notice: Notice) => void };

/** The dependencies every use case receives, passed explicitly: no globals, no `Date.now()`. */
export type Ctx = {
  db: Db;
  clock: Clock;
  windows: Windows;
  bus: Bus;
  log: Logger;
  payments: Payments;
  notifications: Notifications;
};

/** How the product reaches people off the page (notifications.md). */
export type Notifications = {
  mailer: Mailer;
  /** Links in emails and documents start here. */
  publicUrl: string;
  /** Signs unsubscribe tokens (derived from the auth secret: every process signs alike). */
  signingKey: Buffer;
  allowPrivateWebhooks: boolean;
};

/** The payment provider and the fees (payments.md §2–§4). */
export type Payments = {
  provider: PaymentProvider;
  platformFeePercent: number;
  noShowFeePercent: number;
};
