import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { VehicleRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { findOwnedVehicle } from './vehicle.repository.js';

/** One vehicle of the viewer's garage. Anyone else's is NOT_FOUND, never FORBIDDEN: ids cannot be probed. */
export async function getOwnedVehicle(ctx: Ctx, viewer: Actor, id: string): Promise<VehicleRow> {
  const row = await findOwnedVehicle(ctx.db, id, viewer.id);
  if (!row) throw new AppError('NOT_FOUND', 'No such vehicle in your garage');
  return row;
}
