import { asc, eq } from 'drizzle-orm';
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
