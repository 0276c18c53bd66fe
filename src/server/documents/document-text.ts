/*
 * Text as the documents print it. They are real text in the standard Helvetica faces (searchable,
 * copyable, nothing embedded), which speak WinAnsi: every string goes through `safe()`, since
 * anything else would print as garbage (decision 010). Amounts and times in one format.
 */

export const PLATFORM = {
  name: 'AutoDoctor',
  tagline: 'Remote help from certified mechanics',
  supportEmail: 'support@autodoctor.example',
} as const;

/** Characters with a WinAnsi code beyond Latin-1 (pdfkit maps them), and look-alikes for common ones without. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const LOOK_ALIKES: Record<string, string> = {
  '\u00a0': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u2010': '-',
  '\u2011': '-',
  '\u2212': '-',
  '\u2192': '->',
  '\u2264': '<=',
  '\u2265': '>=',
};

/**
 * The text as the standard fonts can print it: composed (é, not e + ´), look-alikes for spaces and
 * dashes Intl and keyboards produce, `?` for what WinAnsi cannot say, no control characters.
 */
export function safe(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0)!;
    const lookAlike = LOOK_ALIKES[char];
    if (char === '\n') out += char;
    else if (char === '\t') out += ' ';
    // A no-break space prints, but a reader searching for "9:00 AM" types a plain one.
    else if (lookAlike !== undefined) out += lookAlike;
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue;
    else if (code < 0x100 || WIN_ANSI_EXTRA.has(char)) out += char;
    else out += '?';
  }
  return out;
}

/** Amounts as people read them: `$12.99` (integer minor units in, the currency's own format out). */
export function formatMoney(cents: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}

const DATE_TIME = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});
const DATE = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

/** A moment in UTC, said so: the server cannot know the reader's time zone. */
export const formatDateTime = (date: Date) => `${DATE_TIME.format(date)} UTC`;
export const formatDate = (date: Date) => DATE.format(date);
