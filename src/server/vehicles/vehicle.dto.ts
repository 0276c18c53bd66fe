import type { ReportRow, SessionRow, VehicleRow } from '../db/schema.js';
import { toReportDto } from '../reports/report.dto.js';
import { toSessionDto } from '../sessions/session.dto.js';
import type { VehicleHistoryRows } from './get-vehicle-history.js';
import { describeTroubleCode } from './lookup-trouble-code.js';

/** The `SavedVehicle` of the contract. */
export function toVehicleDto(row: VehicleRow) {
  return {
    id: row.id,
    nickname: row.nickname,
    vin: row.vin,
    year: row.year,
    make: row.make,
    model: row.model,
    trim: row.trim,
    engine: row.engine,
    fuel: row.fuel,
    mileage: row.mileage,
    decoded: row.decoded,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type VehicleDto = ReturnType<typeof toVehicleDto>;

/** Each code a session saw, decoded, with where it was seen: the intake, the report, or both. */
function seenCodes(session: SessionRow, report: ReportRow | undefined) {
  const seenIn = new Map<string, ('intake' | 'report')[]>();
  for (const code of session.troubleCodes) seenIn.set(code, ['intake']);
  for (const code of report?.troubleCodes ?? []) seenIn.set(code, [...(seenIn.get(code) ?? []), 'report']);
  return [...seenIn].flatMap(([code, where]) => {
    const info = describeTroubleCode(code);
    return info ? [{ ...info, seenIn: where }] : [];
  });
}

/** The `VehicleHistory` of the contract. */
export function toHistoryDto({ vehicle, sessions, participants, reports }: VehicleHistoryRows) {
  const reportOf = new Map(reports.map((r) => [r.sessionId, r]));
  const entries = sessions.map((session) => {
    const report = reportOf.get(session.id);
    return {
      session: toSessionDto(session, participants),
      report: report ? toReportDto(report) : null,
      codes: seenCodes(session, report),
    };
  });
  // Sessions are newest first, so their reports' recommendations are too.
  const openRecommendations = sessions.flatMap((session) => {
    const report = reportOf.get(session.id);
    if (!report?.submittedAt) return [];
    const reportedAt = report.submittedAt.toISOString();
    return report.recommendations.map((r) => ({ sessionId: session.id, ...r, reportedAt, open: true }));
  });
  return { vehicle: toVehicleDto(vehicle), sessions: entries, openRecommendations };
}
