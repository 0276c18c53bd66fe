import type { ReportRow } from '../db/schema.js';

export function toReportDto(row: ReportRow) {
  return {
    sessionId: row.sessionId,
    mechanicId: row.mechanicId,
    summary: row.summary,
    findings: row.findings,
    severity: row.severity,
    troubleCodes: row.troubleCodes,
    recommendations: row.recommendations,
    followUp: row.followUp,
    status: row.status,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toReviewDto(row: { sessionId: string; rating: number; comment: string | null; createdAt: Date }) {
  return { sessionId: row.sessionId, rating: row.rating, comment: row.comment, createdAt: row.createdAt.toISOString() };
}
