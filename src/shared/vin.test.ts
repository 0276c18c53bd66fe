import { describe, expect, it } from 'vitest';
import { expectedCheckDigit, hasValidCheckDigit, isNorthAmericanVin, vinProblem } from './vin.js';

describe('VIN check digit', () => {
  it.each(['1HGCM82633A004352', '1M8GDM9AXKP042788', '11111111111111111', '1m8gdm9axkp042788'])('accepts %s', (vin) => {
    expect(vinProblem(vin)).toBeNull();
  });
  it('rejects a wrong check digit', () => {
    expect(vinProblem('1HGCM82643A004352')).toBe('check_digit');
  });
  it('rejects I, O and Q, and wrong lengths', () => {
    expect(vinProblem('1HGCM82633A00435I')).toBe('characters');
    expect(vinProblem('1HGCM82633A00435')).toBe('length');
  });
  it('computes the check digit, X for a remainder of 10', () => {
    expect(expectedCheckDigit('1HGCM82633A004352')).toBe('3');
    expect(expectedCheckDigit('1M8GDM9AXKP042788')).toBe('X');
    expect(hasValidCheckDigit('5YJ3E1EA7KF317000')).toBe(false);
    expect(hasValidCheckDigit('5YJ3E1EA2KF317000')).toBe(true);
  });
});

describe('the check digit is mandatory in North America only', () => {
  it('knows North American VINs by their first character', () => {
    for (const vin of ['1HGCM82633A004352', '2T1BURHE8JC123456', '3FADP4BJ3EM123456', '5YJ3E1EA2KF317000']) {
      expect(isNorthAmericanVin(vin), vin).toBe(true);
    }
    for (const vin of ['JTDKN3DU6A0123456', 'WBA3A5C57CF256651', 'KMHDH4AE1DU123456', 'SALGS2EF0GA123456']) {
      expect(isNorthAmericanVin(vin), vin).toBe(false);
    }
  });
  it('accepts a European or Asian VIN whose 9th character is no check digit', () => {
    expect(vinProblem('WBA3A5C51CF256651')).toBeNull();
    expect(vinProblem('WVWZZZ1KZ6W123456')).toBeNull();
    expect(hasValidCheckDigit('WVWZZZ1KZ6W123456')).toBe(false);
  });
  it('still refuses the same mistake on a North American VIN', () => {
    expect(vinProblem('1FTFW1ET5DFC10312')).toBe('check_digit');
    expect(vinProblem('1FTFW1ET9DFC10312')).toBeNull();
  });
});
