import type { Notification, OutboxEmail, WaitlistEntry } from '../../shared/contract/index.js';
import type { EmailRow, NotificationRow, WaitlistRow } from './notification.repository.js';

export const toNotificationDto = (row: NotificationRow): Notification => ({
  id: row.id,
  kind: row.kind,
  title: row.title,
  body: row.body,
  link: row.link,
  readAt: row.readAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
});

export const toOutboxEmailDto = (row: EmailRow): OutboxEmail => ({
  id: row.id,
  to: row.to,
  subject: row.subject,
  kind: row.kind,
  text: row.text,
  html: row.html,
  headers: row.headers,
  attachments: row.attachments,
  status: row.status,
  error: row.error,
  sentAt: row.sentAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
});

export const toWaitlistEntryDto = (row: WaitlistRow): WaitlistEntry => ({
  plan: row.plan,
  vehicle: row.vehicleSummary,
  expiresAt: row.expiresAt.toISOString(),
});
