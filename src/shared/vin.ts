/**
 * VIN structure (ISO 3779) and the check digit (position 9, 49 CFR 565). Letters I, O and Q never
 * appear in a VIN. The check digit is mandatory only for vehicles made for North America (VINs
 * starting 1–5); elsewhere position 9 may be any character (European makers often put a Z there),
 * so a wrong one is only worth a warning.
 */
const TRANSLITERATION: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

export type VinProblem = 'length' | 'characters' | 'check_digit';

/** Made for North America (the first character is 1–5): the check digit is mandatory. */
export function isNorthAmericanVin(vin: string): boolean {
  return /^[1-5]/.test(vin);
}

/** The check digit position 9 should hold, for a VIN of 17 valid characters. */
export function expectedCheckDigit(input: string): string {
  const vin = input.toUpperCase();
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const ch = vin[i]!;
    const value = /[0-9]/.test(ch) ? Number(ch) : TRANSLITERATION[ch]!;
    sum += value * WEIGHTS[i]!;
  }
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
}

/** Whether position 9 holds the right check digit (for a VIN of 17 valid characters). */
export function hasValidCheckDigit(input: string): boolean {
  return input.toUpperCase()[8] === expectedCheckDigit(input);
}

/**
 * Why a VIN cannot be right, or null: the length, a character no VIN uses, or — for North
 * American VINs only — a check digit that does not match.
 */
export function vinProblem(input: string): VinProblem | null {
  const vin = input.toUpperCase();
  if (vin.length !== 17) return 'length';
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) return 'characters';
  if (isNorthAmericanVin(vin) && !hasValidCheckDigit(vin)) return 'check_digit';
  return null;
}

export const VIN_MESSAGES: Record<VinProblem, string> = {
  length: 'A VIN has exactly 17 characters',
  characters: 'A VIN uses digits and capital letters except I, O and Q',
  check_digit: 'This VIN’s check digit (9th character) does not match: please check for a typo',
};
