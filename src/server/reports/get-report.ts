import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { ReportRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { loadVisibleSession } from '../sessions/session-access.js';
import { findReport } from './report.repository.js';

/** Participants and admins read the submitted report; the mechanic also sees their draft. */
export async function getReport(ctx: Ctx, viewer: Actor, sessionId: string): Promise<ReportRow> {
  const { session } = await loadVisibleSession(ctx, viewer, sessionId);
  const row = await findReport(ctx.db, sessionId);
  const visible = row && (row.status === 'submitted' || session.mechanicId === viewer.id);
  if (!visible) throw new AppError('NOT_FOUND', 'No report has been submitted yet');
  return row;
}
