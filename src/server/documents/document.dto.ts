import type { ReportFacts, ShareLinkRow } from './document.repository.js';

export const toShareLinkDto = (link: ShareLinkRow, url: string) => ({
  id: link.id,
  url,
  expiresAt: link.expiresAt.toISOString(),
});

export const toShareLinkSummaryDto = (link: ShareLinkRow) => ({
  id: link.id,
  createdAt: link.createdAt.toISOString(),
  expiresAt: link.expiresAt.toISOString(),
});

/**
 * The `SharedReport`: picked field by field, never spread from a row, so nothing about the
 * customer (name, email, ids, VIN, payment) can slip in when a table grows a column.
 */
export function toSharedReportDto({ session, report, mechanic, workshop }: ReportFacts, link: ShareLinkRow) {
  const v = session.vehicle;
  return {
    vehicle: {
      year: v.year,
      make: v.make,
      model: v.model,
      ...(v.trim ? { trim: v.trim } : {}),
      ...(v.engine ? { engine: v.engine } : {}),
      ...(v.fuel ? { fuel: v.fuel } : {}),
      ...(v.mileage !== undefined ? { mileage: v.mileage } : {}),
    },
    concern: session.concern,
    mechanic: { displayName: mechanic.displayName, tier: mechanic.serviceTier, workshop },
    startedAt: session.startedAt?.toISOString() ?? null,
    endedAt: session.endedAt?.toISOString() ?? null,
    report: {
      summary: report.summary,
      findings: report.findings,
      severity: report.severity,
      troubleCodes: report.troubleCodes,
      recommendations: report.recommendations.map((r) => ({
        title: r.title,
        urgency: r.urgency,
        ...(r.estimatedCostMinCents !== undefined ? { estimatedCostMinCents: r.estimatedCostMinCents } : {}),
        ...(r.estimatedCostMaxCents !== undefined ? { estimatedCostMaxCents: r.estimatedCostMaxCents } : {}),
      })),
      followUp: report.followUp,
      submittedAt: (report.submittedAt ?? report.updatedAt).toISOString(),
    },
    expiresAt: link.expiresAt.toISOString(),
  };
}
