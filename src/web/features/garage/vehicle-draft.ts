import type { BodyIn, SavedVehicle, vehicles, VinDecode } from '../../../shared/contract';

/** A vehicle as typed in a form (the intake's, the garage's): every field as text. */
export type VehicleDraft = {
  nickname: string;
  vin: string;
  year: string;
  make: string;
  model: string;
  trim: string;
  engine: string;
  fuel: string;
  mileage: string;
};
export type VehicleField = keyof VehicleDraft;

export const emptyDraft = (year = ''): VehicleDraft => ({
  nickname: '',
  vin: '',
  year,
  make: '',
  model: '',
  trim: '',
  engine: '',
  fuel: '',
  mileage: '',
});

export function draftOf(vehicle: SavedVehicle): VehicleDraft {
  return {
    nickname: vehicle.nickname ?? '',
    vin: vehicle.vin ?? '',
    year: String(vehicle.year),
    make: vehicle.make,
    model: vehicle.model,
    trim: vehicle.trim ?? '',
    engine: vehicle.engine ?? '',
    fuel: vehicle.fuel ?? '',
    mileage: vehicle.mileage === null ? '' : String(vehicle.mileage),
  };
}

/** The fields a VIN decode knows, as the form fills them (it leaves the others as they are). */
export function filledFromVin(decoded: VinDecode): Partial<VehicleDraft> {
  const filled: Partial<VehicleDraft> = {};
  if (decoded.modelYear !== null) filled.year = String(decoded.modelYear);
  if (decoded.make) filled.make = decoded.make;
  if (decoded.model) filled.model = decoded.model;
  if (decoded.trim) filled.trim = decoded.trim;
  if (decoded.engine) filled.engine = decoded.engine;
  if (decoded.fuel) filled.fuel = decoded.fuel;
  return filled;
}

const text = (value: string) => value.trim() || undefined;
const whole = (value: string) => (value.trim() ? Number(value) : undefined);

/** `POST /api/vehicles`: the fields filled in. */
export function saveBodyOf(draft: VehicleDraft): BodyIn<typeof vehicles.create> {
  return {
    year: Number(draft.year),
    make: draft.make.trim(),
    model: draft.model.trim(),
    nickname: text(draft.nickname),
    vin: text(draft.vin),
    trim: text(draft.trim),
    engine: text(draft.engine),
    fuel: text(draft.fuel),
    mileage: whole(draft.mileage),
  };
}

/** `PATCH /api/vehicles/:id`: only what changed (null when nothing did); an optional field emptied is cleared. */
export function updateBodyOf(draft: VehicleDraft, saved: SavedVehicle): BodyIn<typeof vehicles.update> | null {
  const before = draftOf(saved);
  const changed = (field: VehicleField) => draft[field].trim() !== before[field].trim();
  const orNull = (field: VehicleField) => draft[field].trim() || null;
  const changes: BodyIn<typeof vehicles.update> = {};
  if (changed('nickname')) changes.nickname = orNull('nickname');
  if (changed('vin')) changes.vin = orNull('vin');
  if (changed('year')) changes.year = Number(draft.year);
  if (changed('make')) changes.make = draft.make.trim();
  if (changed('model')) changes.model = draft.model.trim();
  if (changed('trim')) changes.trim = orNull('trim');
  if (changed('engine')) changes.engine = orNull('engine');
  if (changed('fuel')) changes.fuel = orNull('fuel');
  if (changed('mileage')) changes.mileage = draft.mileage.trim() ? Number(draft.mileage) : null;
  return Object.keys(changes).length > 0 ? changes : null;
}

/** The `vehicle` of `POST /api/sessions` (a vehicle described in the intake and not saved). */
export function sessionVehicleOf(draft: VehicleDraft) {
  return {
    year: Number(draft.year),
    make: draft.make.trim(),
    model: draft.model.trim(),
    vin: text(draft.vin),
    mileage: whole(draft.mileage),
  };
}
