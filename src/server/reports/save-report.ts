import type { ReportBody } from '../../shared/contract/index.js';
import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { ReportRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { actingParticipant, relationTo } from '../sessions/session-access.js';
import { appendEvent, findSession } from '../sessions/session.repository.js';
import { worstSeverityHint } from '../vehicles/lookup-trouble-code.js';
import { lockReport, upsertReport } from './report.repository.js';

/**
 * The assigned mechanic drafts or submits the report, once the session was live. Left out, the
 * severity is the worst hint of the report's trouble codes (else the intake's): the mechanic
 * changes it by sending one.
 */
export async function saveReport(ctx: Ctx, viewer: Actor, sessionId: string, body: ReportBody): Promise<ReportRow> {
  const session = await findSession(ctx.db, sessionId);
  if (!session || !relationTo(session, viewer)) throw new AppError('NOT_FOUND', 'No such session');
  if (session.mechanicId !== viewer.id) throw new AppError('FORBIDDEN', 'Only the assigned mechanic writes the report');
  await actingParticipant(ctx.db, session, viewer);
  if (!session.startedAt) throw new AppError('INVALID_TRANSITION', 'A report can be written once the session was live');
  const troubleCodes = body.troubleCodes ?? [];
  const severity = body.severity ?? worstSeverityHint(troubleCodes.length > 0 ? troubleCodes : session.troubleCodes);
  if (!severity) {
    throw new AppError('VALIDATION_FAILED', 'Choose a severity: there are no trouble codes to take it from', {
      errors: [{ path: 'body.severity', message: 'is required when no trouble codes are given' }],
    });
  }
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const existing = await lockReport(tx, sessionId);
    if (existing?.status === 'submitted') throw new AppError('INVALID_TRANSITION', 'A submitted report is read-only');
    const row = await upsertReport(
      tx,
      sessionId,
      viewer.id,
      {
        summary: body.summary,
        findings: body.findings,
        severity,
        troubleCodes,
        recommendations: body.recommendations,
        followUp: body.followUp,
        status: body.submit ? 'submitted' : 'draft',
        submittedAt: body.submit ? now : null,
        updatedAt: now,
      },
      Boolean(existing),
    );
    if (body.submit) {
      await appendEvent(tx, {
        sessionId,
        type: 'report.submitted',
        actorId: viewer.id,
        actorRole: 'mechanic',
        fromStatus: session.status,
        toStatus: session.status,
        payload: { severity },
        createdAt: now,
      });
    }
    return row;
  });
}
