import { and, count, desc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { EmailKind, EmailStatus } from '../../shared/domain.js';
import { queryRows, type Executor } from '../db/client.js';
import {
  alertThrottle,
  emails,
  mechanics,
  notificationPreferences,
  notifications,
  users,
  waitlistEntries,
} from '../db/schema.js';

/** The only module with SQL about emails, in-app notifications, preferences and the waitlist. */

export type EmailRow = typeof emails.$inferSelect;
export type NotificationRow = typeof notifications.$inferSelect;
export type WaitlistRow = typeof waitlistEntries.$inferSelect;

// ── The outbox ─────────────────────────────────────────────────────────────────────────────────

export type NewEmail = Omit<EmailRow, 'id' | 'createdAt' | 'error' | 'messageId' | 'sentAt'>;

/** Keeps the email under its job's key; an email already kept under it is returned instead. */
export async function keepEmail(ex: Executor, email: NewEmail, now: Date): Promise<EmailRow> {
  const [inserted] = await ex
    .insert(emails)
    .values({ ...email, createdAt: now })
    .onConflictDoNothing({ target: emails.key })
    .returning();
  if (inserted) return inserted;
  const [existing] = await ex.select().from(emails).where(eq(emails.key, email.key));
  return existing!;
}

export async function markEmail(
  ex: Executor,
  id: string,
  change: { status: EmailStatus; messageId?: string; error?: string | null; sentAt?: Date },
): Promise<void> {
  await ex.update(emails).set(change).where(eq(emails.id, id));
}

export async function listOutbox(ex: Executor, filter: { to?: string; kind?: EmailKind; limit: number }) {
  return ex
    .select()
    .from(emails)
    .where(
      and(
        filter.to ? sql`lower(${emails.to}) = lower(${filter.to})` : undefined,
        filter.kind ? eq(emails.kind, filter.kind) : undefined,
      ),
    )
    .orderBy(desc(emails.createdAt), desc(emails.id))
    .limit(filter.limit);
}

// ── Preferences ────────────────────────────────────────────────────────────────────────────────

export async function preferencesOf(ex: Executor, userId: string): Promise<Map<string, boolean>> {
  const rows = await ex
    .select({ kind: notificationPreferences.kind, email: notificationPreferences.email })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
  return new Map(rows.map((r) => [r.kind, r.email]));
}

export async function savePreferences(
  ex: Executor,
  userId: string,
  choices: { kind: EmailKind; email: boolean }[],
  now: Date,
): Promise<void> {
  if (choices.length === 0) return;
  await ex
    .insert(notificationPreferences)
    .values(choices.map((c) => ({ userId, kind: c.kind, email: c.email, updatedAt: now })))
    .onConflictDoUpdate({
      target: [notificationPreferences.userId, notificationPreferences.kind],
      set: { email: sql`excluded.email`, updatedAt: now },
    });
}

// ── In-app notifications ───────────────────────────────────────────────────────────────────────

export type NewNotification = Pick<NotificationRow, 'key' | 'userId' | 'kind' | 'title' | 'body' | 'link'>;

/** Writes the notification unless its key exists (a job run twice); returns it only when new. */
export async function insertNotification(
  ex: Executor,
  notification: NewNotification,
  now: Date,
): Promise<NotificationRow | undefined> {
  const [row] = await ex
    .insert(notifications)
    .values({ ...notification, createdAt: now })
    .onConflictDoNothing({ target: notifications.key })
    .returning();
  return row;
}

export async function findNotification(ex: Executor, id: string): Promise<NotificationRow | undefined> {
  const [row] = await ex.select().from(notifications).where(eq(notifications.id, id));
  return row;
}

export async function listNotifications(ex: Executor, userId: string, limit: number): Promise<NotificationRow[]> {
  return ex
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
}

export async function countUnread(ex: Executor, userId: string): Promise<number> {
  const [row] = await ex
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
}

/** Marks the user's own notifications read (`ids`, or all); another user's ids change nothing. */
export async function markRead(ex: Executor, userId: string, ids: string[] | 'all', now: Date): Promise<number> {
  const rows = await ex
    .update(notifications)
    .set({ readAt: now })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        ids === 'all' ? undefined : inArray(notifications.id, ids),
      ),
    )
    .returning({ id: notifications.id });
  return rows.length;
}

// ── Rate limits on alerts ──────────────────────────────────────────────────────────────────────

/**
 * Claims the right to alert `userId` of `kind` now: true when nothing was sent in the last
 * `intervalMs`. One statement, so concurrent jobs for the same mechanic send one alert.
 */
export async function claimAlert(ex: Executor, userId: string, kind: string, now: Date, intervalMs: number) {
  const rows = await ex
    .insert(alertThrottle)
    .values({ userId, kind, lastSentAt: now })
    .onConflictDoUpdate({
      target: [alertThrottle.userId, alertThrottle.kind],
      set: { lastSentAt: now },
      setWhere: sql`${alertThrottle.lastSentAt} <= ${new Date(now.getTime() - intervalMs).toISOString()}::timestamptz`,
    })
    .returning({ userId: alertThrottle.userId });
  return rows.length > 0;
}

/**
 * Mechanics who asked to hear of new requests while off shift: approved, allowed to accept, off
 * shift, with `new_request` email turned on. The eligibility rules are applied by the caller.
 */
export async function listOffShiftAlertees(ex: Executor) {
  return ex
    .select({ mechanic: mechanics, email: users.email, name: users.name })
    .from(mechanics)
    .innerJoin(users, eq(users.id, mechanics.userId))
    .innerJoin(
      notificationPreferences,
      and(
        eq(notificationPreferences.userId, mechanics.userId),
        eq(notificationPreferences.kind, 'new_request'),
        eq(notificationPreferences.email, true),
      ),
    )
    .where(
      and(
        eq(mechanics.approvalStatus, 'approved'),
        eq(mechanics.canAcceptSessions, true),
        eq(mechanics.onShift, false),
        eq(users.role, 'mechanic'),
      ),
    );
}

// ── The waitlist ───────────────────────────────────────────────────────────────────────────────

/** Joins (or re-joins, for another 24 h) the waitlist: one entry per customer. */
export async function upsertWaitlistEntry(
  ex: Executor,
  entry: Pick<WaitlistRow, 'customerId' | 'plan' | 'vehicleSummary' | 'expiresAt'>,
  now: Date,
): Promise<WaitlistRow> {
  const [row] = await ex
    .insert(waitlistEntries)
    .values({ ...entry, createdAt: now })
    .onConflictDoUpdate({
      target: waitlistEntries.customerId,
      set: {
        plan: entry.plan,
        vehicleSummary: entry.vehicleSummary,
        expiresAt: entry.expiresAt,
        notifiedAt: null,
        createdAt: now,
      },
    })
    .returning();
  return row!;
}

export async function deleteWaitlistEntry(ex: Executor, customerId: string): Promise<boolean> {
  const rows = await ex
    .delete(waitlistEntries)
    .where(eq(waitlistEntries.customerId, customerId))
    .returning({ id: waitlistEntries.id });
  return rows.length > 0;
}

export async function findWaitlistEntry(ex: Executor, customerId: string, now: Date): Promise<WaitlistRow | undefined> {
  const [row] = await ex
    .select()
    .from(waitlistEntries)
    .where(
      and(
        eq(waitlistEntries.customerId, customerId),
        isNull(waitlistEntries.notifiedAt),
        gt(waitlistEntries.expiresAt, now),
      ),
    );
  return row;
}

/**
 * Takes the waiting entries a mechanic of `tier` can serve: marks them notified and returns them,
 * in one statement (SKIP LOCKED), so two mechanics coming on shift at once tell each customer once.
 */
export async function takeWaiting(
  ex: Executor,
  tier: 'virtual_only' | 'workshop_partner',
  now: Date,
): Promise<(WaitlistRow & { email: string; name: string })[]> {
  const at = now.toISOString();
  const taken = await queryRows<{ id: string }>(
    ex,
    sql`
    UPDATE ${waitlistEntries} w SET notified_at = ${at}::timestamptz
    WHERE w.id IN (
      SELECT e.id FROM ${waitlistEntries} e
      JOIN plans p ON p.slug = e.plan
      WHERE e.notified_at IS NULL AND e.expires_at > ${at}::timestamptz
        AND (p.required_tier IS NULL OR p.required_tier = ${tier})
      ORDER BY e.created_at
      LIMIT 500
      FOR UPDATE OF e SKIP LOCKED)
    RETURNING w.id`,
  );
  const ids = taken.map((r) => String(r.id));
  if (ids.length === 0) return [];
  const rows = await ex
    .select({ entry: waitlistEntries, email: users.email, name: users.name })
    .from(waitlistEntries)
    .innerJoin(users, eq(users.id, waitlistEntries.customerId))
    .where(inArray(waitlistEntries.id, ids));
  return rows.map((r) => ({ ...r.entry, email: r.email, name: r.name }));
}

/** Entries that ran out unheard; removed by the sweeper so the table stays small. */
export async function deleteExpiredWaitlist(ex: Executor, now: Date): Promise<number> {
  const rows = await ex
    .delete(waitlistEntries)
    .where(lte(waitlistEntries.expiresAt, now))
    .returning({ id: waitlistEntries.id });
  return rows.length;
}
