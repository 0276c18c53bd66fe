import { describe, expect, it } from 'vitest';
import { parseCents } from './cents';

describe('parseCents', () => {
  it('reads dollars and cents without floating point', () => {
    expect(parseCents('4.99')).toBe(499);
    expect(parseCents('0.29')).toBe(29); // 0.29 * 100 is 28.999… in floating point
    expect(parseCents('12')).toBe(1200);
    expect(parseCents('12.5')).toBe(1250);
    expect(parseCents('.5')).toBe(50);
    expect(parseCents(' $3.21 ')).toBe(321);
    expect(parseCents('1,250.00')).toBe(125_000);
    expect(parseCents('0')).toBe(0);
  });

  it('refuses what is not an amount', () => {
    for (const text of ['', '.', '4.999', '-1', 'abc', '4,99', '1,25', '12.', '1e3', '$', '10000000.01']) {
      expect(parseCents(text), text).toBeNull();
    }
  });
});
