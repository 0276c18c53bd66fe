import type { ParticipantRow, SessionEventRow, SessionRow } from '../db/schema.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The `Session` object of api.md. */
export function toSessionDto(session: SessionRow, participants: ParticipantRow[]) {
  return {
    id: session.id,
    status: session.status,
    kind: session.kind,
    plan: session.plan,
    customerId: session.customerId,
    mechanicId: session.mechanicId,
    vehicle: session.vehicle,
    vehicleId: session.vehicleId,
    troubleCodes: session.troubleCodes,
    concern: session.concern,
    urgent: session.urgent,
    workshopId: session.workshopId,
    preferredMechanicId: session.preferredMechanicId,
    version: session.version,
    deadlineAt: iso(session.deadlineAt),
    requestedAt: session.requestedAt.toISOString(),
    acceptedAt: iso(session.acceptedAt),
    startedAt: iso(session.startedAt),
    endedAt: iso(session.endedAt),
    plannedMinutes: session.plannedMinutes,
    extendedMinutes: session.extendedMinutes,
    durationMinutes: session.durationMinutes,
    endReason: session.endReason,
    endedBy: session.endedBy,
    noShowParty: session.noShowParty,
    participants: participants
      .filter((p) => p.sessionId === session.id)
      .map((p) => ({
        userId: p.userId,
        role: p.role,
        joinedAt: iso(p.joinedAt),
        connected: p.connected,
      })),
  };
}

export type SessionDto = ReturnType<typeof toSessionDto>;

export function toEventDto(event: SessionEventRow) {
  return {
    id: event.id,
    sessionId: event.sessionId,
    type: event.type,
    actorId: event.actorId,
    actorRole: event.actorRole,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    payload: event.payload,
    createdAt: event.createdAt.toISOString(),
  };
}
