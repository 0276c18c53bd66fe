/**
 * VIN check digit (ISO 3779 / North American position 9). Letters I, O and Q never appear in a VIN.
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

export function vinProblem(input: string): VinProblem | null {
  const vin = input.toUpperCase();
  if (vin.length !== 17) return 'length';
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) return 'characters';
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const ch = vin[i]!;
    const value = /[0-9]/.test(ch) ? Number(ch) : TRANSLITERATION[ch]!;
    sum += value * WEIGHTS[i]!;
  }
  const remainder = sum % 11;
  const expected = remainder === 10 ? 'X' : String(remainder);
  return vin[8] === expected ? null : 'check_digit';
}

export const VIN_MESSAGES: Record<VinProblem, string> = {
  length: 'A VIN has exactly 17 characters',
  characters: 'A VIN uses digits and capital letters except I, O and Q',
  check_digit: 'This VIN’s check digit (9th character) does not match: please check for a typo',
};
