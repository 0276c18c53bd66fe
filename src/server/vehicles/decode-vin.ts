import type { VinDecode } from '../../shared/contract/index.js';
import { hasValidCheckDigit, isNorthAmericanVin, VIN_MESSAGES, vinProblem } from '../../shared/vin.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { DecoderBusyError, type VinDecoder, type VpicFacts } from './vin-decoder.js';

const OPTIONAL_FIELDS = ['model', 'trim', 'bodyClass', 'engine', 'fuel', 'plantCountry'] as const;

export const VIN_WARNINGS = {
  checkDigit:
    'The 9th character is not this VIN’s check digit. Outside North America that is allowed, but please compare the VIN with the one on the car.',
  noModelYear: 'The 10th character does not give the model year (common outside North America): please enter it.',
  modelYearUnsure: 'Outside North America the 10th character is not always the model year: please check the year.',
  unknownManufacturer: 'This VIN’s manufacturer is not in the NHTSA data set: please enter the make and model.',
  modelUnknown: 'The NHTSA data set knows the manufacturer but not this model: please enter the model.',
  unavailable: 'The vehicle data set could not be read just now: only the VIN’s structure was checked.',
} as const;

/**
 * `GET /api/vin/:vin` (vehicles.md §2): checks the VIN, then says what the offline data set knows
 * about it. A wrong check digit is refused only on a North American VIN; elsewhere it is a warning.
 */
export async function decodeVin(ctx: Pick<Ctx, 'log'>, decoder: VinDecoder, input: string): Promise<VinDecode> {
  const vin = input.trim().toUpperCase();
  const problem = vinProblem(vin);
  if (problem) {
    throw new AppError('VALIDATION_FAILED', VIN_MESSAGES[problem], {
      errors: [{ path: 'params.vin', message: VIN_MESSAGES[problem] }],
    });
  }
  const checkDigitOk = hasValidCheckDigit(vin);
  const warnings: string[] = checkDigitOk ? [] : [VIN_WARNINGS.checkDigit];

  let facts: VpicFacts | undefined;
  try {
    facts = await decoder.decode(vin);
  } catch (error) {
    if (error instanceof DecoderBusyError) throw new AppError('SERVICE_UNAVAILABLE', error.message);
    ctx.log.error({ err: error }, 'VIN decode failed; answering with the structure only');
    warnings.push(VIN_WARNINGS.unavailable);
  }

  if (facts) {
    if (!facts.wmiKnown) warnings.push(VIN_WARNINGS.unknownManufacturer);
    else if (!facts.patternsMatched) warnings.push(VIN_WARNINGS.modelUnknown);
    if (facts.modelYear === null) warnings.push(VIN_WARNINGS.noModelYear);
    else if (!isNorthAmericanVin(vin) && !facts.patternsMatched) warnings.push(VIN_WARNINGS.modelYearUnsure);
  }

  const decoded: VinDecode = {
    vin,
    valid: true,
    checkDigitOk,
    wmi: vin.slice(0, 3),
    manufacturer: facts?.manufacturer ?? null,
    make: facts?.make ?? null,
    modelYear: facts?.modelYear ?? null,
    source: !facts?.wmiKnown ? 'vin_structure' : facts.patternsMatched ? 'nhtsa_vpic' : 'nhtsa_vpic_wmi',
    dataset: decoder.dataset,
    known: [],
    warnings,
  };
  for (const field of OPTIONAL_FIELDS) {
    const value = facts?.[field];
    if (value !== undefined) decoded[field] = value;
  }
  decoded.known = (['manufacturer', 'make', 'modelYear', ...OPTIONAL_FIELDS] as const).filter(
    (field) => decoded[field] !== null && decoded[field] !== undefined,
  );
  return decoded;
}

/**
 * The decode kept with a saved vehicle. The VIN was validated with the body; a decoder too busy to
 * answer must not stop the customer saving their car, so that is null (a later save decodes again).
 */
export async function decodeForGarage(
  ctx: Pick<Ctx, 'log'>,
  decoder: VinDecoder,
  vin: string,
): Promise<VinDecode | null> {
  try {
    return await decodeVin(ctx, decoder, vin);
  } catch (error) {
    ctx.log.warn({ err: error }, 'VIN not decoded for the garage');
    return null;
  }
}
