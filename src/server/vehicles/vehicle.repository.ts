import { and, asc, count, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { vehicles, type VehicleRow } from '../db/schema.js';

/** The only module with SQL about the garage's vehicles. */

export type VehicleValues = Omit<VehicleRow, 'id' | 'createdAt'>;

export async function findVehicle(ex: Executor, id: string): Promise<VehicleRow | undefined> {
  const [row] = await ex.select().from(vehicles).where(eq(vehicles.id, id));
  return row;
}

/** The vehicle when `ownerId` owns it; undefined otherwise (someone else's looks the same as none). */
export async function findOwnedVehicle(ex: Executor, id: string, ownerId: string): Promise<VehicleRow | undefined> {
  const [row] = await ex
    .select()
    .from(vehicles)
    .where(and(eq(vehicles.id, id), eq(vehicles.ownerId, ownerId)));
  return row;
}

/** A garage in the order its vehicles were saved. */
export async function listOwnedVehicles(ex: Executor, ownerId: string): Promise<VehicleRow[]> {
  return ex
    .select()
    .from(vehicles)
    .where(eq(vehicles.ownerId, ownerId))
    .orderBy(asc(vehicles.createdAt), asc(vehicles.id));
}

export async function countOwnedVehicles(ex: Executor, ownerId: string): Promise<number> {
  const [row] = await ex.select({ n: count() }).from(vehicles).where(eq(vehicles.ownerId, ownerId));
  return row?.n ?? 0;
}

export async function insertVehicle(ex: Executor, values: VehicleValues & { createdAt: Date }): Promise<VehicleRow> {
  const [row] = await ex.insert(vehicles).values(values).returning();
  return row!;
}

/** Writes the changes when `ownerId` owns the vehicle; undefined otherwise. */
export async function updateOwnedVehicle(
  ex: Executor,
  id: string,
  ownerId: string,
  changes: Partial<VehicleValues> & { updatedAt: Date },
): Promise<VehicleRow | undefined> {
  const [row] = await ex
    .update(vehicles)
    .set(changes)
    .where(and(eq(vehicles.id, id), eq(vehicles.ownerId, ownerId)))
    .returning();
  return row;
}

/** Deletes it when `ownerId` owns it (sessions keep their snapshot; their link is set to null). */
export async function deleteOwnedVehicle(ex: Executor, id: string, ownerId: string): Promise<VehicleRow | undefined> {
  const [row] = await ex
    .delete(vehicles)
    .where(and(eq(vehicles.id, id), eq(vehicles.ownerId, ownerId)))
    .returning();
  return row;
}
