import { describe, expect, it } from 'vitest';
import { percentOf, settlementFor, splitCapture } from './money.js';

describe('the split of a capture', () => {
  it.each([
    [2999, 30, 900, 2099],
    [999, 30, 300, 699],
    [4999, 30, 1500, 3499],
    [1, 30, 0, 1],
    [5, 30, 2, 3],
    [1499, 0, 0, 1499],
    [1499, 100, 1499, 0],
  ])('%i cents at %i%%: platform %i, mechanic %i — adding up exactly', (captured, percent, platform, mechanic) => {
    const split = splitCapture(captured, percent);
    expect(split).toEqual({ platformCents: platform, mechanicCents: mechanic });
    expect(split.platformCents + split.mechanicCents).toBe(captured);
  });

  it('always adds up, for every amount up to $100 and every percent', () => {
    for (let cents = 0; cents <= 10_000; cents += 7) {
      for (const percent of [0, 1, 15, 30, 33, 50, 99, 100]) {
        const { platformCents, mechanicCents } = splitCapture(cents, percent);
        expect(Number.isInteger(platformCents) && Number.isInteger(mechanicCents)).toBe(true);
        expect(platformCents + mechanicCents).toBe(cents);
        expect(mechanicCents).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('rounds half up in integers', () => {
    expect(percentOf(2999, 50)).toBe(1500);
    expect(percentOf(999, 50)).toBe(500);
    expect(percentOf(101, 1)).toBe(1);
  });
});

describe('what the end of a session does to its hold (payments.md §3)', () => {
  const price = 2999;
  it('completed (T10, T11, T12, T13 live): capture the plan price', () => {
    expect(settlementFor({ status: 'completed', noShowParty: null }, price, 50)).toEqual({
      action: 'capture',
      amountCents: 2999,
      why: 'helped',
    });
  });
  it('customer no-show (T8, T9 customer): capture the no-show fee, or nothing at 0%', () => {
    expect(settlementFor({ status: 'no_show', noShowParty: 'customer' }, price, 50)).toEqual({
      action: 'capture',
      amountCents: 1500,
      why: 'customer_no_show',
    });
    expect(settlementFor({ status: 'no_show', noShowParty: 'customer' }, price, 0).action).toBe('void');
  });
  it.each([
    ['expired', null],
    ['cancelled', null],
    ['no_show', 'mechanic'],
    ['no_show', 'both'],
  ] as const)('%s (%s): void, nothing charged', (status, noShowParty) => {
    expect(settlementFor({ status, noShowParty }, price, 50).action).toBe('void');
  });
  it('refuses to settle an open session', () => {
    expect(() => settlementFor({ status: 'live', noShowParty: null }, price, 50)).toThrow();
  });
});

describe('proportional reversals', () => {
  it('a full refund, however it is split, reverses exactly the share that was credited', async () => {
    const { percentOfWhole } = await import('./money.js');
    for (const [credited, captured] of [
      [699, 999],
      [2099, 2999],
      [350, 500],
      [7, 10],
    ] as const) {
      const thirds = [Math.floor(captured / 3), Math.floor(captured / 3), captured - 2 * Math.floor(captured / 3)];
      for (const split of [[captured], [1, captured - 1], thirds]) {
        let refunded = 0;
        let reversed = 0;
        for (const part of split) {
          refunded += part;
          const target = percentOfWhole(credited, refunded, captured);
          expect(target - reversed).toBeGreaterThanOrEqual(0);
          reversed = target;
        }
        expect(reversed).toBe(credited);
      }
    }
  });
});
