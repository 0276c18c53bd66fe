import { sql } from 'drizzle-orm';
import { text, timestamp } from 'drizzle-orm/pg-core';

/** Column and constraint helpers every table module uses. */

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
export const tstz = (name: string) => timestamp(name, { withTimezone: true });

/** `column IN ('a','b')` for CHECK constraints, with the values inlined as literals. */
export const oneOf = (column: string, values: readonly string[]) =>
  sql.raw(`${column} IN (${values.map((v) => `'${v}'`).join(', ')})`);

/** Trouble codes (an intake's, a report's): upper case, at most ten, each of the SAE J2012 form. */
export const troubleCodes = () =>
  text('trouble_codes')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`);

/** The CHECK that goes with `troubleCodes()`: no NULL, at most ten, every code well-formed. */
export const troubleCodesCheck = () =>
  sql.raw(
    `cardinality(trouble_codes) <= 10 AND array_position(trouble_codes, NULL) IS NULL AND ` +
      `(cardinality(trouble_codes) = 0 OR array_to_string(trouble_codes, ',') ~ '^[PCBU][0-3][0-9A-F]{3}(,[PCBU][0-3][0-9A-F]{3})*$')`,
  );
