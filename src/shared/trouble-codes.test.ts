import { describe, expect, it } from 'vitest';
import { TroubleCodesInput } from './contract/trouble-codes.js';
import { normaliseTroubleCode, uniqueTroubleCodes } from './trouble-codes.js';

describe('trouble codes as typed', () => {
  it('normalises case and spaces, and refuses anything else', () => {
    expect(normaliseTroubleCode(' p0a80 ')).toBe('P0A80');
    expect(normaliseTroubleCode('P4000')).toBeNull();
    expect(normaliseTroubleCode('P030G')).toBeNull();
  });

  it('keeps each code once, in the order first given', () => {
    expect(uniqueTroubleCodes(['p0301', 'P0420', 'P0301 '])).toEqual(['P0301', 'P0420']);
  });

  it('accepts up to ten codes and says what is wrong with the rest', () => {
    expect(TroubleCodesInput.parse(['p0301', 'u0100', 'P0301'])).toEqual(['P0301', 'U0100']);
    const eleven = Array.from({ length: 11 }, (_, i) => `P03${String(i).padStart(2, '0')}`);
    expect(TroubleCodesInput.safeParse(eleven).error?.issues[0]?.message).toBe('Give at most 10 trouble codes');
    const bad = TroubleCodesInput.safeParse(['P0301', 'P9999']);
    expect(bad.error?.issues[0]).toMatchObject({ path: [1], message: expect.stringContaining('for example P0301') });
  });
});
