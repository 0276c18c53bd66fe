import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { VehicleRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { deleteOwnedVehicle } from './vehicle.repository.js';

/**
 * Deletes the vehicle for good. Its sessions keep the snapshot they took at the intake (the
 * foreign key sets their link to null), so receipts, earnings and reports read as before.
 */
export async function deleteVehicle(ctx: Ctx, owner: Actor, id: string): Promise<VehicleRow> {
  const row = await deleteOwnedVehicle(ctx.db, id, owner.id);
  if (!row) throw new AppError('NOT_FOUND', 'No such vehicle in your garage');
  return row;
}
