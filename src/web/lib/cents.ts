/*
 * Amounts in integer minor units (payments.md §1.5). `money` in format.ts says "Free" for zero,
 * which is right for a price and wrong for a balance; these say $0.00.
 */

/** 699 → "$6.99", 0 → "$0.00", −250 → "-$2.50", in the viewer's locale. */
export function formatCents(cents: number, currency = 'USD'): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);
}

/** The largest amount a person may type (the contract's ceiling on a refund): $1,000,000.00. */
const MAX_CENTS = 100_000_000;

/**
 * What a person typed as dollars and cents ("4.99", "$12", "0.5", "1,250.00") → integer cents,
 * read digit by digit so no floating-point rounding can turn 4.99 into 498. `null` when the text
 * is not an amount: more than two decimals, letters, a minus sign, or over the ceiling.
 */
export function parseCents(text: string): number | null {
  const cleaned = text.trim().replace(/^\$\s*/, '');
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match || (match[1] === undefined && match[2] === undefined)) return null;
  const whole = Number((match[1] ?? '0').replaceAll(',', ''));
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  const cents = whole * 100 + fraction;
  return Number.isSafeInteger(cents) && cents <= MAX_CENTS ? cents : null;
}
