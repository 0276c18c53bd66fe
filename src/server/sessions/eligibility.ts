import type { MechanicRow, Role } from '../db/schema.js';

/*
 * Who may see and accept a pending session (domain.md §5), as pure code. The queue, accept, the
 * realtime queue and the inspection tools all ask these functions, so they always agree, and each
 * names the *first* rule that fails.
 */

export const ELIGIBILITY_CODES = [
  'NOT_A_MECHANIC',
  'NOT_APPROVED',
  'ACCEPT_DISABLED',
  'OFF_SHIFT',
  'BUSY',
  'TIER_REQUIRED',
  'OTHER_WORKSHOP',
  'RESERVED',
  'RELEASED_BEFORE',
] as const;

export type EligibilityCode = (typeof ELIGIBILITY_CODES)[number];

export type MechanicStanding = {
  role: Role;
  mechanic: Pick<MechanicRow, 'approvalStatus' | 'canAcceptSessions' | 'onShift' | 'serviceTier' | 'workshopId'> | null;
  /** Whether they hold a session in `accepted` or `live`. */
  hasActiveSession: boolean;
};

export type PendingOffer = {
  requiredTier: 'workshop_partner' | null;
  workshopId: string | null;
  preferredMechanicId: string | null;
  requestedAt: Date;
  /** Whether this mechanic released this session before. */
  releasedByMechanic: boolean;
};

/** Rules 1–4: about the mechanic alone. */
export function mechanicBlock(standing: MechanicStanding): EligibilityCode | null {
  if (standing.role !== 'mechanic' || !standing.mechanic) return 'NOT_A_MECHANIC';
  if (standing.mechanic.approvalStatus !== 'approved') return 'NOT_APPROVED';
  if (!standing.mechanic.canAcceptSessions) return 'ACCEPT_DISABLED';
  if (!standing.mechanic.onShift) return 'OFF_SHIFT';
  if (standing.hasActiveSession) return 'BUSY';
  return null;
}

/** Rules 5–8: about this mechanic and one pending session. */
export function offerBlock(
  mechanicId: string,
  mechanic: NonNullable<MechanicStanding['mechanic']>,
  offer: PendingOffer,
  now: Date,
  exclusiveSeconds: number,
): EligibilityCode | null {
  if (offer.requiredTier && mechanic.serviceTier !== offer.requiredTier) return 'TIER_REQUIRED';
  if (offer.workshopId && mechanic.workshopId !== offer.workshopId) return 'OTHER_WORKSHOP';
  if (offer.preferredMechanicId && offer.preferredMechanicId !== mechanicId) {
    const exclusiveUntil = offer.requestedAt.getTime() + exclusiveSeconds * 1000;
    if (now.getTime() < exclusiveUntil) return 'RESERVED';
  }
  if (offer.releasedByMechanic) return 'RELEASED_BEFORE';
  return null;
}

/** The first failing rule of all eight, or null when the mechanic is eligible. */
export function firstFailingRule(
  mechanicId: string,
  standing: MechanicStanding,
  offer: PendingOffer,
  now: Date,
  exclusiveSeconds: number,
): EligibilityCode | null {
  const block = mechanicBlock(standing);
  if (block || !standing.mechanic) return block ?? 'NOT_A_MECHANIC';
  return offerBlock(mechanicId, standing.mechanic, offer, now, exclusiveSeconds);
}
