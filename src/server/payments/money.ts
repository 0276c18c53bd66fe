import type { SessionStatus } from '../../shared/domain.js';

/*
 * The money rules as pure functions (payments.md §3–§4): what a session's end does to its payment,
 * and how a capture is split. Integer cents throughout; a split is computed once, by subtraction,
 * so its parts always add up to the whole.
 */

/** `percent` of `cents`, rounded half up, in integers only. */
export function percentOf(cents: number, percent: number): number {
  return Math.floor((cents * percent + 50) / 100);
}

/** The platform keeps its fee; the mechanic is credited the rest, so the two add up exactly. */
export function splitCapture(capturedCents: number, platformFeePercent: number) {
  const platformCents = percentOf(capturedCents, platformFeePercent);
  return { platformCents, mechanicCents: capturedCents - platformCents };
}

export type EndedSession = {
  status: SessionStatus;
  noShowParty: 'customer' | 'mechanic' | 'both' | null;
};

export type Settlement =
  { action: 'capture'; amountCents: number; why: 'helped' | 'customer_no_show' } | { action: 'void'; why: string };

/**
 * What the end of a session does to its hold (payments.md §3): helped (completed, by the
 * participants, the time limit, abandonment or an admin ending a live session) → capture the plan
 * price; the customer did not show → capture the no-show fee (nothing when it is 0); anything
 * else — no mechanic in time, a cancellation, a mechanic who did not show — releases it.
 */
export function settlementFor(session: EndedSession, planPriceCents: number, noShowFeePercent: number): Settlement {
  switch (session.status) {
    case 'completed':
      return { action: 'capture', amountCents: planPriceCents, why: 'helped' };
    case 'no_show': {
      if (session.noShowParty !== 'customer') return { action: 'void', why: `no_show_${session.noShowParty}` };
      const fee = percentOf(planPriceCents, noShowFeePercent);
      return fee > 0
        ? { action: 'capture', amountCents: fee, why: 'customer_no_show' }
        : { action: 'void', why: 'no_show_fee_none' };
    }
    case 'cancelled':
    case 'expired':
      return { action: 'void', why: session.status };
    default:
      throw new Error(`a ${session.status} session has not ended`);
  }
}

/** `part / whole` of `cents`, rounded half up, in integers only (a proportional reversal). */
export function percentOfWhole(cents: number, part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.floor((cents * part * 2 + whole) / (whole * 2));
}
