import type { PlanRow, WorkshopRow } from '../db/schema.js';

export function toPlanDto(row: PlanRow) {
  return {
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    priceCents: row.priceCents,
    currency: row.currency,
    minutes: row.minutes,
    requiredTier: row.requiredTier,
  };
}

export function toWorkshopDto(row: WorkshopRow) {
  return { id: row.id, name: row.name, city: row.city, country: row.country };
}
