import type { MechanicRow } from '../db/schema.js';

/** The `Mechanic` object of the contract. */
export function toMechanicDto(row: MechanicRow) {
  return {
    userId: row.userId,
    displayName: row.displayName,
    serviceTier: row.serviceTier,
    workshopId: row.workshopId,
    approvalStatus: row.approvalStatus,
    canAcceptSessions: row.canAcceptSessions,
    onShift: row.onShift,
    shiftChangedAt: row.shiftChangedAt?.toISOString() ?? null,
    brands: row.brands,
    yearsExperience: row.yearsExperience,
    bio: row.bio,
    ratingAvg: Math.round(row.ratingAvg * 100) / 100,
    ratingCount: row.ratingCount,
  };
}
