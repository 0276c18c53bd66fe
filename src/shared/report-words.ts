import type { FOLLOW_UPS, SERVICE_TIERS, Severity } from './domain.js';

/*
 * A report's vocabulary in the words customers read, said once for the web app (the report view,
 * the shared page) and the server (the PDFs), so a document never says it differently.
 */

export const SEVERITY_LABEL: Record<Severity, string> = {
  info: 'For information',
  soon: 'Fix soon',
  urgent: 'Urgent',
  unsafe_to_drive: 'Unsafe to drive',
};

export const FOLLOW_UP_LABEL: Record<(typeof FOLLOW_UPS)[number], string> = {
  none: 'Nothing further needed',
  in_person_diagnostic: 'Book an in-person diagnostic',
  repair_quote: 'Get a repair quote',
};

export const SERVICE_TIER_LABEL: Record<(typeof SERVICE_TIERS)[number], string> = {
  virtual_only: 'Remote mechanic',
  workshop_partner: 'Workshop partner',
};

/** How a report is signed, on the page and in the PDF: "Report by Sam Lee, Workshop partner". */
export function reportSignature(displayName: string, tier: (typeof SERVICE_TIERS)[number]): string {
  return `Report by ${displayName}, ${SERVICE_TIER_LABEL[tier]}`;
}

/** A recommendation's estimated cost in words: a range, a floor, a ceiling, or nothing. */
export function costRange(
  minCents: number | undefined,
  maxCents: number | undefined,
  money: (cents: number) => string,
): string | null {
  if (minCents !== undefined && maxCents !== undefined) {
    return minCents === maxCents ? money(minCents) : `${money(minCents)}–${money(maxCents)}`;
  }
  if (minCents !== undefined) return `from ${money(minCents)}`;
  if (maxCents !== undefined) return `up to ${money(maxCents)}`;
  return null;
}
