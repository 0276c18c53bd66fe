import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { ReportBody, ReviewBody } from '../../shared/api.js';
import type { Actor as AuthActor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { mechanics, reports, reviews, type ReportRow } from '../db/schema.js';
import { AppError, uniqueViolation } from '../errors.js';
import { actingParticipant, loadVisibleSession } from '../sessions/session-access.js';
import { appendEvent, findSession } from '../sessions/session.repository.js';

export function toReportDto(row: ReportRow) {
  return {
    sessionId: row.sessionId,
    mechanicId: row.mechanicId,
    summary: row.summary,
    findings: row.findings,
    severity: row.severity,
    recommendations: row.recommendations,
    followUp: row.followUp,
    status: row.status,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The assigned mechanic drafts or submits the report, once the session was live. */
export async function saveReport(ctx: Ctx, viewer: AuthActor, sessionId: string, body: ReportBody): Promise<ReportRow> {
  const session = await findSession(ctx.db, sessionId);
  if (!session || (session.mechanicId !== viewer.id && session.customerId !== viewer.id && viewer.role !== 'admin')) {
    throw new AppError('NOT_FOUND', 'No such session');
  }
  if (session.mechanicId !== viewer.id) throw new AppError('FORBIDDEN', 'Only the assigned mechanic writes the report');
  await actingParticipant(ctx.db, session, viewer);
  if (!session.startedAt) throw new AppError('INVALID_TRANSITION', 'A report can be written once the session was live');
  const now = ctx.clock.now();
  const values = {
    summary: body.summary,
    findings: body.findings,
    severity: body.severity,
    recommendations: body.recommendations,
    followUp: body.followUp,
    status: body.submit ? ('submitted' as const) : ('draft' as const),
    submittedAt: body.submit ? now : null,
    updatedAt: now,
  };
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(reports).where(eq(reports.sessionId, sessionId)).for('update');
    if (existing?.status === 'submitted') throw new AppError('INVALID_TRANSITION', 'A submitted report is read-only');
    const [row] = existing
      ? await tx.update(reports).set(values).where(eq(reports.sessionId, sessionId)).returning()
      : await tx
          .insert(reports)
          .values({ sessionId, mechanicId: viewer.id, createdAt: now, ...values })
          .returning();
    if (body.submit) {
      await appendEvent(tx, {
        sessionId,
        type: 'report.submitted',
        actorId: viewer.id,
        actorRole: 'mechanic',
        fromStatus: session.status,
        toStatus: session.status,
        payload: { severity: body.severity },
        createdAt: now,
      });
    }
    return row!;
  });
}

/** Participants and admins read the submitted report; the mechanic also sees their draft. */
export async function getReport(ctx: Ctx, viewer: AuthActor, sessionId: string): Promise<ReportRow> {
  const { session } = await loadVisibleSession(ctx, viewer, sessionId);
  const [row] = await ctx.db.select().from(reports).where(eq(reports.sessionId, sessionId));
  const visible = row && (row.status === 'submitted' || session.mechanicId === viewer.id);
  if (!visible) throw new AppError('NOT_FOUND', 'No report has been submitted yet');
  return row;
}

/** The customer rates a completed session once; the mechanic's average moves in the same transaction. */
export async function submitReview(ctx: Ctx, viewer: AuthActor, sessionId: string, body: z.infer<typeof ReviewBody>) {
  const { session } = await loadVisibleSession(ctx, viewer, sessionId);
  if (session.customerId !== viewer.id) throw new AppError('FORBIDDEN', 'Only the session’s customer can review it');
  if (session.status !== 'completed' || !session.mechanicId) {
    throw new AppError('INVALID_TRANSITION', 'Only completed sessions can be reviewed');
  }
  const mechanicId = session.mechanicId;
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [review] = await tx
        .insert(reviews)
        .values({
          sessionId,
          customerId: viewer.id,
          mechanicId,
          rating: body.rating,
          comment: body.comment ?? null,
          createdAt: now,
        })
        .returning();
      await tx
        .update(mechanics)
        .set({
          ratingAvg: sql`(${mechanics.ratingAvg} * ${mechanics.ratingCount} + ${body.rating}) / (${mechanics.ratingCount} + 1)`,
          ratingCount: sql`${mechanics.ratingCount} + 1`,
        })
        .where(eq(mechanics.userId, mechanicId));
      return review!;
    });
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('INVALID_TRANSITION', 'This session has already been reviewed');
    throw error;
  }
}
