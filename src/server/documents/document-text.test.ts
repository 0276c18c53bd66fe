import { describe, expect, it } from 'vitest';
import { formatDateTime, formatMoney, safe } from './document-text.js';

describe('safe(): text the standard PDF fonts can print', () => {
  it('keeps Latin-1 and the typographic marks WinAnsi has', () => {
    expect(safe('Škoda café — “quoted” • 5–10 € …')).toBe('Škoda café — “quoted” • 5–10 € …');
  });

  it('composes accents typed as two code points', () => {
    expect(safe('cafe\u0301')).toBe('café');
  });

  it('turns the spaces and dashes Intl and keyboards produce into plain ones', () => {
    expect(safe('9:00\u202fAM\u00a0UTC \u2212 5 \u2192 6')).toBe('9:00 AM UTC - 5 -> 6');
  });

  it('drops control characters, keeps line breaks, and prints "?" for what it cannot say', () => {
    expect(safe('a\u0000b\u0007c\u0085\nd\te')).toBe('abc\nd e');
    expect(safe('刹车 ✓ 😀')).toBe('?? ? ?');
  });
});

describe('amounts and times', () => {
  it('prints integer minor units in the currency’s format', () => {
    expect(formatMoney(1498)).toBe('$14.98');
    expect(formatMoney(25000, 'EUR')).toBe('€250.00');
  });

  it('says UTC, since the server cannot know the reader’s zone', () => {
    expect(safe(formatDateTime(new Date('2026-06-01T09:05:00Z')))).toBe('Jun 1, 2026, 9:05 AM UTC');
  });
});
