import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { VehicleRow } from '../db/schema.js';
import { listOwnedVehicles } from './vehicle.repository.js';

/** The viewer's garage, in the order the vehicles were saved (the intake offers them first). */
export async function listVehicles(ctx: Ctx, viewer: Actor): Promise<VehicleRow[]> {
  return listOwnedVehicles(ctx.db, viewer.id);
}
