import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { ParticipantRow, ReportRow, SessionRow, VehicleRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { findSubmittedReports } from '../reports/report.repository.js';
import { findParticipants, isMechanicOfVehicle, listSessions } from '../sessions/session.repository.js';
import { findVehicle } from './vehicle.repository.js';

/** A car sees a few sessions a year: the newest hundred is its whole history in practice. */
export const HISTORY_SESSIONS = 100;

export type VehicleHistoryRows = {
  vehicle: VehicleRow;
  sessions: SessionRow[];
  participants: ParticipantRow[];
  reports: ReportRow[];
};

/**
 * The owner sees their vehicle's history; so does the mechanic of any of its sessions (earlier
 * reports help them) and an admin. Anyone else gets NOT_FOUND, as if the vehicle did not exist.
 */
async function mayReadHistory(ctx: Ctx, viewer: Actor, vehicle: VehicleRow): Promise<boolean> {
  if (viewer.role === 'admin') return true;
  if (viewer.role === 'customer') return vehicle.ownerId === viewer.id;
  return isMechanicOfVehicle(ctx.db, vehicle.id, viewer.id);
}

/** The vehicle's sessions (newest first) with their participants and submitted reports. */
export async function getVehicleHistory(ctx: Ctx, viewer: Actor, vehicleId: string): Promise<VehicleHistoryRows> {
  const vehicle = await findVehicle(ctx.db, vehicleId);
  if (!vehicle || !(await mayReadHistory(ctx, viewer, vehicle))) throw new AppError('NOT_FOUND', 'No such vehicle');
  const sessions = await listSessions(ctx.db, { vehicleId, limit: HISTORY_SESSIONS });
  const ids = sessions.map((s) => s.id);
  const [participants, reports] = await Promise.all([findParticipants(ctx.db, ids), findSubmittedReports(ctx.db, ids)]);
  return { vehicle, sessions, participants, reports };
}
