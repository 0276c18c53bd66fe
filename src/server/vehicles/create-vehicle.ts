import type { SaveVehicleBody } from '../../shared/contract/index.js';
import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { VehicleRow } from '../db/schema.js';
import { AppError, uniqueViolation } from '../errors.js';
import { decodeForGarage } from './decode-vin.js';
import type { VinDecoder } from './vin-decoder.js';
import { countOwnedVehicles, insertVehicle } from './vehicle.repository.js';

/** A garage is for a household's cars, not a fleet: a bound keeps one account from filling the table. */
export const MAX_VEHICLES_PER_GARAGE = 25;

export const vinTaken = () =>
  new AppError('VALIDATION_FAILED', 'A vehicle with this VIN is already in your garage', {
    errors: [{ path: 'body.vin', message: 'is already in your garage' }],
  });

/**
 * A customer saves a vehicle. With a VIN, the decode is kept with it and fills trim, engine and
 * fuel where the customer left them out; year, make and model are the customer's (they corrected
 * what the intake filled in).
 */
export async function createVehicle(
  ctx: Ctx,
  decoder: VinDecoder,
  owner: Actor,
  body: SaveVehicleBody,
): Promise<VehicleRow> {
  if (owner.role !== 'customer') throw new AppError('FORBIDDEN', 'Only customers keep a garage');
  if ((await countOwnedVehicles(ctx.db, owner.id)) >= MAX_VEHICLES_PER_GARAGE) {
    throw new AppError('VALIDATION_FAILED', `A garage holds up to ${MAX_VEHICLES_PER_GARAGE} vehicles`);
  }
  const decoded = body.vin ? await decodeForGarage(ctx, decoder, body.vin) : null;
  const now = ctx.clock.now();
  try {
    return await insertVehicle(ctx.db, {
      ownerId: owner.id,
      nickname: body.nickname ?? null,
      vin: body.vin ?? null,
      year: body.year,
      make: body.make,
      model: body.model,
      trim: body.trim ?? decoded?.trim ?? null,
      engine: body.engine ?? decoded?.engine ?? null,
      fuel: body.fuel ?? decoded?.fuel ?? null,
      mileage: body.mileage ?? null,
      decoded,
      createdAt: now,
      updatedAt: now,
    });
  } catch (error) {
    if (uniqueViolation(error) === 'vehicles_owner_vin_key') throw vinTaken();
    throw error;
  }
}
