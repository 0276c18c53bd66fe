/**
 * OBD-II diagnostic trouble codes as customers and mechanics type them (SAE J2012 structure):
 * a letter for the system (P powertrain, C chassis, B body, U network), a digit 0–3, then three
 * hexadecimal characters. Shared by the contract, the server's code table and the web app's forms.
 */

export const TROUBLE_CODE_FORMAT = /^[PCBU][0-3][0-9A-F]{3}$/;

/** A session's intake and a report each carry at most this many codes. */
export const MAX_TROUBLE_CODES = 10;

export const TROUBLE_CODE_MESSAGE =
  'A trouble code is P, C, B or U, then a digit 0–3, then three digits or letters A–F (for example P0301)';

/** The code in its one written form (trimmed, upper case), or null when it is not one. */
export function normaliseTroubleCode(input: string): string | null {
  const code = input.trim().toUpperCase();
  return TROUBLE_CODE_FORMAT.test(code) ? code : null;
}

/** Codes in the order first given, each once (`p0301` and `P0301` are the same code). */
export function uniqueTroubleCodes(codes: readonly string[]): string[] {
  return [...new Set(codes.map((code) => code.trim().toUpperCase()))];
}
