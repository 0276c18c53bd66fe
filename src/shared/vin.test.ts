import { describe, expect, it } from 'vitest';
import { vinProblem } from './vin.js';

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
});
