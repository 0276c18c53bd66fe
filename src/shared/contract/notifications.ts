import { z } from 'zod';
import { EMAIL_KINDS, EMAIL_STATUSES, OPTIONAL_EMAIL_KINDS } from '../domain.js';
import { endpoint } from './define.js';
import { Id, itemsOf, Ok, Timestamp, trimmed } from './common.js';

const tags = ['notifications'];

/** One row of the bell. */
export const Notification = z.object({
  id: Id,
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** A path inside the web app. */
  link: z.string().nullable(),
  readAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type Notification = z.infer<typeof Notification>;

/** The optional kinds only: account emails (verification, reset, receipts) cannot be turned off. */
export const EmailPreferences = z.object({
  email: z.record(z.enum(OPTIONAL_EMAIL_KINDS), z.boolean()),
});
export type EmailPreferences = z.infer<typeof EmailPreferences>;

export const EmailPreferencesBody = z.strictObject({
  email: z.partialRecord(z.enum(OPTIONAL_EMAIL_KINDS, { message: 'is not an email you can turn off' }), z.boolean()),
});

export const MarkReadBody = z.union(
  [
    z.strictObject({ ids: z.array(Id).min(1, 'name at least one notification').max(200) }),
    z.strictObject({ all: z.literal(true) }),
  ],
  { message: 'send { ids: [...] } or { all: true }' },
);

export const WaitlistBody = z.strictObject({
  plan: z.string().min(1).max(40),
  vehicle: trimmed(2, 120).describe('How the customer names the car, e.g. "2016 Toyota Corolla"'),
});
export const WaitlistEntry = z.object({ plan: z.string(), vehicle: z.string(), expiresAt: Timestamp });
export type WaitlistEntry = z.infer<typeof WaitlistEntry>;

export const OutboxEmail = z.object({
  id: Id,
  to: z.string(),
  subject: z.string(),
  kind: z.enum(EMAIL_KINDS),
  text: z.string(),
  html: z.string(),
  headers: z.record(z.string(), z.string()),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), size: z.number().int() })),
  status: z.enum(EMAIL_STATUSES),
  error: z.string().nullable(),
  sentAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type OutboxEmail = z.infer<typeof OutboxEmail>;

export const notifications = {
  preferences: endpoint({
    method: 'GET',
    path: '/api/me/notifications',
    summary: 'Which emails I get (the kinds I may turn off)',
    tags,
    responses: { 200: EmailPreferences },
  }),
  setPreferences: endpoint({
    method: 'PUT',
    path: '/api/me/notifications',
    summary: 'Turn kinds of email on or off',
    tags,
    body: EmailPreferencesBody,
    responses: { 200: EmailPreferences },
  }),
  unsubscribePage: endpoint({
    method: 'GET',
    path: '/api/unsubscribe',
    summary: 'The link in an email: turns that kind of email off and says so (an HTML page)',
    tags,
    public: true,
    query: z.strictObject({ token: z.string().min(1).max(300) }),
    produces: 'text/html',
    responses: { 200: z.string() },
  }),
  unsubscribeOneClick: endpoint({
    method: 'POST',
    path: '/api/unsubscribe',
    summary: 'One-click unsubscribe (RFC 8058): the mail client posts List-Unsubscribe=One-Click',
    tags,
    public: true,
    query: z.strictObject({ token: z.string().min(1).max(300) }),
    responses: { 200: Ok },
  }),
  list: endpoint({
    method: 'GET',
    path: '/api/notifications',
    summary: 'My notifications, newest first, and how many are unread',
    tags,
    responses: { 200: z.object({ items: z.array(Notification), unread: z.number().int() }) },
  }),
  markRead: endpoint({
    method: 'POST',
    path: '/api/notifications/read',
    summary: 'Mark some ({ ids }) or all ({ all: true }) of my notifications read',
    tags,
    body: MarkReadBody,
    responses: { 200: z.object({ unread: z.number().int() }) },
  }),
  waitlist: endpoint({
    method: 'GET',
    path: '/api/waitlist',
    summary: 'Whether I am waiting to hear of an available mechanic',
    tags,
    responses: { 200: z.object({ entry: WaitlistEntry.nullable() }) },
  }),
  joinWaitlist: endpoint({
    method: 'POST',
    path: '/api/waitlist',
    summary: 'Tell me (email and notification) when a mechanic for this plan comes on shift; 24 hours',
    tags,
    body: WaitlistBody,
    responses: { 201: z.object({ entry: WaitlistEntry }) },
  }),
  leaveWaitlist: endpoint({
    method: 'DELETE',
    path: '/api/waitlist',
    summary: 'Stop waiting',
    tags,
    responses: { 200: Ok },
  }),
  outbox: endpoint({
    method: 'GET',
    path: '/api/admin/outbox',
    summary: 'Every email the product sent or kept, newest first, as the recipient sees it',
    tags,
    query: z.strictObject({
      to: z.string().trim().max(320).optional(),
      kind: z.enum(EMAIL_KINDS).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    responses: { 200: itemsOf(OutboxEmail) },
  }),
};
