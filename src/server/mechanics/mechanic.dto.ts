import { fillPath, profiles } from '../../shared/contract/index.js';
import type { MechanicRow } from '../db/schema.js';
import type { MechanicWithWorkshop } from './mechanic.repository.js';

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

/** The `MechanicProfile` object of the contract: the mechanic as customers meet them. */
export function toMechanicProfileDto(
  { mechanic, workshop }: MechanicWithWorkshop,
  recentReviews: { rating: number; comment: string; createdAt: Date }[],
) {
  return {
    userId: mechanic.userId,
    displayName: mechanic.displayName,
    // The photo's hash in the address: a new photo is a new URL, so browsers may cache each one.
    photoUrl: mechanic.photoSha256
      ? `${fillPath(profiles.photo.path, { userId: mechanic.userId })}?v=${mechanic.photoSha256.slice(0, 16)}`
      : null,
    serviceTier: mechanic.serviceTier,
    workshop,
    yearsExperience: mechanic.yearsExperience,
    brands: mechanic.brands,
    bio: mechanic.bio,
    ratingAvg: Math.round(mechanic.ratingAvg * 100) / 100,
    ratingCount: mechanic.ratingCount,
    recentReviews: recentReviews.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
  };
}
