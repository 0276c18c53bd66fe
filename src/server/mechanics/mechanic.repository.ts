import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { mechanics, sessions, users, workshops, type MechanicRow, type WorkshopRow } from '../db/schema.js';

/** The only module with SQL about mechanics. */

export async function findMechanic(ex: Executor, userId: string): Promise<MechanicRow | undefined> {
  const [row] = await ex.select().from(mechanics).where(eq(mechanics.userId, userId));
  return row;
}

/**
 * The mechanic row, locked until the transaction ends: `share` by a mechanic acting in a session,
 * `update` by an admin changing their standing — so the two are ordered, never interleaved.
 */
export async function lockMechanic(ex: Executor, userId: string, mode: 'share' | 'update') {
  const [row] = await ex.select().from(mechanics).where(eq(mechanics.userId, userId)).for(mode);
  return row;
}

export type MechanicChange = Partial<
  Pick<
    MechanicRow,
    | 'displayName'
    | 'yearsExperience'
    | 'brands'
    | 'bio'
    | 'photoStorageKey'
    | 'photoSha256'
    | 'photoContentType'
    | 'photoSizeBytes'
    | 'approvalStatus'
    | 'canAcceptSessions'
    | 'onShift'
    | 'shiftChangedAt'
    | 'serviceTier'
    | 'workshopId'
    | 'payoutAccount'
  >
>;

export async function updateMechanic(ex: Executor, userId: string, change: MechanicChange, now: Date) {
  const [row] = await ex
    .update(mechanics)
    .set({ ...change, updatedAt: now })
    .where(eq(mechanics.userId, userId))
    .returning();
  return row;
}

export type NewApplication = Pick<
  MechanicRow,
  'userId' | 'displayName' | 'serviceTier' | 'workshopId' | 'brands' | 'yearsExperience' | 'bio'
>;

export async function insertApplication(ex: Executor, application: NewApplication, now: Date): Promise<MechanicRow> {
  const [row] = await ex
    .insert(mechanics)
    .values({ ...application, approvalStatus: 'pending', createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

/** Whether the user ever booked a session as a customer (one identity, one role: decision 003). */
export async function hasBookedSessions(ex: Executor, userId: string): Promise<boolean> {
  const rows = await ex.select({ id: sessions.id }).from(sessions).where(eq(sessions.customerId, userId)).limit(1);
  return rows.length > 0;
}

export async function countOnShift(ex: Executor): Promise<number> {
  const [row] = await ex
    .select({ n: count() })
    .from(mechanics)
    .innerJoin(users, eq(users.id, mechanics.userId))
    .where(
      and(
        eq(mechanics.onShift, true),
        eq(mechanics.approvalStatus, 'approved'),
        eq(mechanics.canAcceptSessions, true),
        eq(users.banned, false),
      ),
    );
  return row?.n ?? 0;
}

export async function listMechanics(ex: Executor, approval?: MechanicRow['approvalStatus']) {
  return ex
    .select({ mechanic: mechanics, email: users.email, name: users.name })
    .from(mechanics)
    .innerJoin(users, eq(users.id, mechanics.userId))
    .where(approval ? eq(mechanics.approvalStatus, approval) : undefined)
    .orderBy(asc(mechanics.createdAt));
}

/** Folds one new rating into the mechanic's average, in the review's transaction. */
export async function addRating(ex: Executor, userId: string, rating: number) {
  await ex
    .update(mechanics)
    .set({
      ratingAvg: sql`(${mechanics.ratingAvg} * ${mechanics.ratingCount} + ${rating}) / (${mechanics.ratingCount} + 1)`,
      ratingCount: sql`${mechanics.ratingCount} + 1`,
    })
    .where(eq(mechanics.userId, userId));
}

export type MechanicWithWorkshop = {
  mechanic: MechanicRow;
  workshop: Pick<WorkshopRow, 'id' | 'name' | 'city'> | null;
};

/** The mechanic row and the workshop they belong to, if any, in one read (a profile shows both). */
export async function findMechanicWithWorkshop(
  ex: Executor,
  userId: string,
): Promise<MechanicWithWorkshop | undefined> {
  const [row] = await ex
    .select({ mechanic: mechanics, id: workshops.id, name: workshops.name, city: workshops.city })
    .from(mechanics)
    .leftJoin(workshops, eq(workshops.id, mechanics.workshopId))
    .where(eq(mechanics.userId, userId));
  if (!row) return undefined;
  const workshop =
    row.id !== null && row.name !== null && row.city !== null ? { id: row.id, name: row.name, city: row.city } : null;
  return { mechanic: row.mechanic, workshop };
}
