import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { reports, reviews, type ReportRow } from '../db/schema.js';

/** The only module with SQL about reports and reviews. */

export async function findReport(ex: Executor, sessionId: string): Promise<ReportRow | undefined> {
  const [row] = await ex.select().from(reports).where(eq(reports.sessionId, sessionId));
  return row;
}

/** The submitted reports of these sessions (drafts stay their mechanic's). */
export async function findSubmittedReports(ex: Executor, sessionIds: string[]): Promise<ReportRow[]> {
  if (sessionIds.length === 0) return [];
  return ex
    .select()
    .from(reports)
    .where(and(inArray(reports.sessionId, sessionIds), eq(reports.status, 'submitted')));
}

export async function lockReport(ex: Executor, sessionId: string): Promise<ReportRow | undefined> {
  const [row] = await ex.select().from(reports).where(eq(reports.sessionId, sessionId)).for('update');
  return row;
}

export type ReportValues = Pick<
  ReportRow,
  | 'summary'
  | 'findings'
  | 'severity'
  | 'troubleCodes'
  | 'recommendations'
  | 'followUp'
  | 'status'
  | 'submittedAt'
  | 'updatedAt'
>;

export async function upsertReport(
  ex: Executor,
  sessionId: string,
  mechanicId: string,
  values: ReportValues,
  exists: boolean,
): Promise<ReportRow> {
  const [row] = exists
    ? await ex.update(reports).set(values).where(eq(reports.sessionId, sessionId)).returning()
    : await ex
        .insert(reports)
        .values({ sessionId, mechanicId, createdAt: values.updatedAt, ...values })
        .returning();
  return row!;
}

export async function insertReview(
  ex: Executor,
  review: {
    sessionId: string;
    customerId: string;
    mechanicId: string;
    rating: number;
    comment: string | null;
    createdAt: Date;
  },
) {
  const [row] = await ex.insert(reviews).values(review).returning();
  return row!;
}

export async function findReview(ex: Executor, sessionId: string) {
  const [row] = await ex.select().from(reviews).where(eq(reviews.sessionId, sessionId));
  return row;
}

/** A mechanic's latest reviews that say something (a comment), newest first. */
export async function listRecentReviewComments(ex: Executor, mechanicId: string, limit: number) {
  const rows = await ex
    .select({ rating: reviews.rating, comment: reviews.comment, createdAt: reviews.createdAt })
    .from(reviews)
    .where(and(eq(reviews.mechanicId, mechanicId), sql`btrim(coalesce(${reviews.comment}, '')) <> ''`))
    .orderBy(desc(reviews.createdAt), desc(reviews.sessionId))
    .limit(limit);
  return rows.map((r) => ({ rating: r.rating, comment: r.comment ?? '', createdAt: r.createdAt }));
}
