import type { UpdateVehicleBody } from '../../shared/contract/index.js';
import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { VehicleRow } from '../db/schema.js';
import { AppError, uniqueViolation } from '../errors.js';
import { vinTaken } from './create-vehicle.js';
import { decodeForGarage } from './decode-vin.js';
import type { VinDecoder } from './vin-decoder.js';
import { findOwnedVehicle, updateOwnedVehicle, type VehicleValues } from './vehicle.repository.js';

const FILLED_FROM_DECODE = ['trim', 'engine', 'fuel'] as const;

/**
 * The owner changes what the body names (null clears an optional field). A new VIN is decoded
 * again and fills trim, engine and fuel where the vehicle has none and the body says nothing.
 * Sessions already requested keep their snapshot.
 */
export async function updateVehicle(
  ctx: Ctx,
  decoder: VinDecoder,
  owner: Actor,
  id: string,
  body: UpdateVehicleBody,
): Promise<VehicleRow> {
  const current = await findOwnedVehicle(ctx.db, id, owner.id);
  if (!current) throw new AppError('NOT_FOUND', 'No such vehicle in your garage');

  const changes: Partial<VehicleValues> = {};
  for (const [key, value] of Object.entries(body) as [keyof UpdateVehicleBody, unknown][]) {
    if (value !== undefined) (changes as Record<string, unknown>)[key] = value;
  }
  if (body.vin === null) changes.decoded = null;
  // A new VIN, or the same one whose decode was missed when it was saved.
  const vin = body.vin ?? undefined;
  if (vin && (vin !== current.vin || !current.decoded)) {
    const decoded = await decodeForGarage(ctx, decoder, vin);
    changes.decoded = decoded;
    for (const field of FILLED_FROM_DECODE) {
      if (body[field] === undefined && current[field] === null && decoded?.[field]) changes[field] = decoded[field];
    }
  }

  try {
    const row = await updateOwnedVehicle(ctx.db, id, owner.id, { ...changes, updatedAt: ctx.clock.now() });
    if (!row) throw new AppError('NOT_FOUND', 'No such vehicle in your garage');
    return row;
  } catch (error) {
    if (uniqueViolation(error) === 'vehicles_owner_vin_key') throw vinTaken();
    throw error;
  }
}
