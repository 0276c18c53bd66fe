import { and, count, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import {
  mechanics,
  plans,
  users,
  reports,
  sessions,
  shareLinks,
  workshops,
  type MechanicRow,
  type ReportRow,
  type SessionRow,
  type WorkshopRow,
} from '../db/schema.js';

/** The only module with SQL about documents: what a report document shows, and share links. */

export type ShareLinkRow = typeof shareLinks.$inferSelect;

export type ReportFacts = {
  session: SessionRow;
  planName: string;
  report: ReportRow;
  mechanic: Pick<MechanicRow, 'displayName' | 'serviceTier'>;
  workshop: Pick<WorkshopRow, 'name' | 'city'> | null;
};

/**
 * Everything a report document shows but the money, in one read: the session, its plan's name, its
 * submitted report, and the mechanic who wrote it with their workshop. Undefined when the session
 * has no submitted report (a draft is its mechanic's, not a document).
 */
export async function findReportFacts(ex: Executor, sessionId: string): Promise<ReportFacts | undefined> {
  const [row] = await ex
    .select({
      session: sessions,
      planName: plans.name,
      report: reports,
      displayName: mechanics.displayName,
      serviceTier: mechanics.serviceTier,
      workshopName: workshops.name,
      workshopCity: workshops.city,
    })
    .from(sessions)
    .innerJoin(plans, eq(plans.slug, sessions.plan))
    .innerJoin(reports, and(eq(reports.sessionId, sessions.id), eq(reports.status, 'submitted')))
    .innerJoin(mechanics, eq(mechanics.userId, reports.mechanicId))
    .leftJoin(workshops, eq(workshops.id, mechanics.workshopId))
    .where(eq(sessions.id, sessionId));
  if (!row) return undefined;
  return {
    session: row.session,
    planName: row.planName,
    report: row.report,
    mechanic: { displayName: row.displayName, serviceTier: row.serviceTier },
    workshop:
      row.workshopName !== null && row.workshopCity !== null
        ? { name: row.workshopName, city: row.workshopCity }
        : null,
  };
}

export type ReceiptFacts = {
  session: SessionRow;
  planName: string;
  customer: { name: string; email: string };
  mechanicName: string | null;
};

/** Whom a receipt is for and what it was for: the session, its plan, its customer, its mechanic. */
export async function findReceiptFacts(ex: Executor, sessionId: string): Promise<ReceiptFacts | undefined> {
  const [row] = await ex
    .select({
      session: sessions,
      planName: plans.name,
      customerName: users.name,
      customerEmail: users.email,
      mechanicName: mechanics.displayName,
    })
    .from(sessions)
    .innerJoin(plans, eq(plans.slug, sessions.plan))
    .innerJoin(users, eq(users.id, sessions.customerId))
    .leftJoin(mechanics, eq(mechanics.userId, sessions.mechanicId))
    .where(eq(sessions.id, sessionId));
  if (!row) return undefined;
  return {
    session: row.session,
    planName: row.planName,
    customer: { name: row.customerName, email: row.customerEmail },
    mechanicName: row.mechanicName,
  };
}

export async function insertShareLink(
  ex: Executor,
  link: Pick<ShareLinkRow, 'sessionId' | 'tokenHash' | 'createdBy' | 'expiresAt' | 'createdAt'>,
): Promise<ShareLinkRow> {
  const [row] = await ex.insert(shareLinks).values(link).returning();
  return row!;
}

/** The link whose token hashes to this, if it is neither revoked nor expired at `now`. */
export async function findLiveShareLink(ex: Executor, tokenHash: string, now: Date): Promise<ShareLinkRow | undefined> {
  const [row] = await ex
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.tokenHash, tokenHash), isNull(shareLinks.revokedAt), gt(shareLinks.expiresAt, now)));
  return row;
}

/** A session's links that still open the report, newest first. */
export async function listLiveShareLinks(ex: Executor, sessionId: string, now: Date): Promise<ShareLinkRow[]> {
  return ex
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.sessionId, sessionId), isNull(shareLinks.revokedAt), gt(shareLinks.expiresAt, now)))
    .orderBy(desc(shareLinks.createdAt));
}

export async function countLiveShareLinks(ex: Executor, sessionId: string, now: Date): Promise<number> {
  const [row] = await ex
    .select({ n: count() })
    .from(shareLinks)
    .where(and(eq(shareLinks.sessionId, sessionId), isNull(shareLinks.revokedAt), gt(shareLinks.expiresAt, now)));
  return row?.n ?? 0;
}

export async function findShareLink(
  ex: Executor,
  sessionId: string,
  linkId: string,
): Promise<ShareLinkRow | undefined> {
  const [row] = await ex
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.id, linkId), eq(shareLinks.sessionId, sessionId)));
  return row;
}

/** Revokes the link once: a second revocation keeps the first time. */
export async function markShareLinkRevoked(ex: Executor, linkId: string, now: Date): Promise<void> {
  await ex
    .update(shareLinks)
    .set({ revokedAt: now })
    .where(and(eq(shareLinks.id, linkId), isNull(shareLinks.revokedAt)));
}
