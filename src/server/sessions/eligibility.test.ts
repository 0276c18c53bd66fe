import { describe, expect, it } from 'vitest';
import { firstFailingRule, type MechanicStanding, type PendingOffer } from './eligibility.js';

const ME = 'a0000000-0000-4000-8000-000000000001';
const SOMEONE = 'b0000000-0000-4000-8000-000000000002';
const WORKSHOP = 'c0000000-0000-4000-8000-000000000003';
const now = new Date('2026-06-01T09:10:00Z');

const eligible: MechanicStanding = {
  role: 'mechanic',
  mechanic: {
    approvalStatus: 'approved',
    canAcceptSessions: true,
    onShift: true,
    serviceTier: 'workshop_partner',
    workshopId: WORKSHOP,
  },
  hasActiveSession: false,
};
const offer: PendingOffer = {
  requiredTier: null,
  workshopId: null,
  preferredMechanicId: null,
  requestedAt: new Date('2026-06-01T09:09:00Z'),
  releasedByMechanic: false,
};
const withMechanic = (patch: Partial<NonNullable<MechanicStanding['mechanic']>>): MechanicStanding => ({
  ...eligible,
  mechanic: { ...eligible.mechanic!, ...patch },
});
const check = (standing: MechanicStanding, o: Partial<PendingOffer> = {}) =>
  firstFailingRule(ME, standing, { ...offer, ...o }, now, 120);

describe('eligibility names the first failing rule', () => {
  it('an approved, on-shift, free mechanic is eligible', () => {
    expect(check(eligible)).toBeNull();
  });
  it('1 NOT_A_MECHANIC: a customer, or a mechanic role with no mechanics row', () => {
    expect(check({ ...eligible, role: 'customer' })).toBe('NOT_A_MECHANIC');
    expect(check({ ...eligible, mechanic: null })).toBe('NOT_A_MECHANIC');
  });
  it('2 NOT_APPROVED for pending and suspended mechanics', () => {
    expect(check(withMechanic({ approvalStatus: 'pending' }))).toBe('NOT_APPROVED');
    expect(check(withMechanic({ approvalStatus: 'suspended' }))).toBe('NOT_APPROVED');
  });
  it('2 ACCEPT_DISABLED when an admin turned accepting off', () => {
    expect(check(withMechanic({ canAcceptSessions: false }))).toBe('ACCEPT_DISABLED');
  });
  it('3 OFF_SHIFT', () => {
    expect(check(withMechanic({ onShift: false }))).toBe('OFF_SHIFT');
  });
  it('4 BUSY with a session in accepted or live', () => {
    expect(check({ ...eligible, hasActiveSession: true })).toBe('BUSY');
  });
  it('5 TIER_REQUIRED for a diagnostic when virtual only', () => {
    expect(
      check(withMechanic({ serviceTier: 'virtual_only', workshopId: null }), { requiredTier: 'workshop_partner' }),
    ).toBe('TIER_REQUIRED');
    expect(check(eligible, { requiredTier: 'workshop_partner' })).toBeNull();
  });
  it('6 OTHER_WORKSHOP when the customer targeted another workshop', () => {
    expect(check(eligible, { workshopId: SOMEONE })).toBe('OTHER_WORKSHOP');
    expect(check(eligible, { workshopId: WORKSHOP })).toBeNull();
  });
  it('7 RESERVED while another preferred mechanic’s exclusivity is open, and not after', () => {
    expect(check(eligible, { preferredMechanicId: SOMEONE })).toBe('RESERVED');
    expect(check(eligible, { preferredMechanicId: ME })).toBeNull();
    expect(check(eligible, { preferredMechanicId: SOMEONE, requestedAt: new Date('2026-06-01T09:08:00Z') })).toBeNull();
  });
  it('8 RELEASED_BEFORE', () => {
    expect(check(eligible, { releasedByMechanic: true })).toBe('RELEASED_BEFORE');
  });
  it('the earliest rule wins when several fail', () => {
    expect(check(withMechanic({ onShift: false, approvalStatus: 'pending' }), { releasedByMechanic: true })).toBe(
      'NOT_APPROVED',
    );
  });
});
