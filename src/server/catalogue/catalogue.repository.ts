import { asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { plans, workshops, type PlanRow, type WorkshopRow } from '../db/schema.js';

/** The only module with SQL about the catalogue: plans and workshops. */

export async function listActivePlans(ex: Executor): Promise<PlanRow[]> {
  return ex.select().from(plans).where(eq(plans.active, true)).orderBy(asc(plans.sortOrder));
}

export async function findPlan(ex: Executor, slug: string): Promise<PlanRow | undefined> {
  const [row] = await ex.select().from(plans).where(eq(plans.slug, slug));
  return row;
}

/** These plans, active or not (old sessions keep the plan they were booked on), by slug. */
export async function findPlansBySlugs(ex: Executor, slugs: string[]): Promise<Map<string, PlanRow>> {
  if (slugs.length === 0) return new Map();
  const rows = await ex.select().from(plans).where(inArray(plans.slug, slugs));
  return new Map(rows.map((r) => [r.slug, r]));
}

export async function findWorkshop(ex: Executor, id: string): Promise<WorkshopRow | undefined> {
  const [row] = await ex.select().from(workshops).where(eq(workshops.id, id));
  return row;
}

export async function listActiveWorkshops(ex: Executor): Promise<WorkshopRow[]> {
  return ex.select().from(workshops).where(eq(workshops.status, 'active')).orderBy(asc(workshops.name));
}

export async function insertWorkshop(
  ex: Executor,
  values: { name: string; city: string; country: string; createdAt: Date },
): Promise<WorkshopRow> {
  const [row] = await ex.insert(workshops).values(values).returning();
  return row!;
}
