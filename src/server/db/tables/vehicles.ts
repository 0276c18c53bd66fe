import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { VinDecode } from '../../../shared/contract/vehicles.js';
import { createdAt, updatedAt } from './columns.js';

import { users } from './accounts.js';

// ── The customer's garage (vehicles.md §1) ───────────────────────────────────────────────────

/** What the VIN decode said when the VIN was saved: kept as it was, the data set may change. */
export type DecodedVin = VinDecode;

export const vehicles = pgTable(
  'vehicles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    nickname: text('nickname'),
    vin: text('vin'),
    year: integer('year').notNull(),
    make: text('make').notNull(),
    model: text('model').notNull(),
    trim: text('trim'),
    engine: text('engine'),
    fuel: text('fuel'),
    mileage: integer('mileage'),
    decoded: jsonb('decoded').$type<DecodedVin>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('vehicles_vin_check', sql`vin IS NULL OR vin ~ '^[A-HJ-NPR-Z0-9]{17}$'`),
    check('vehicles_year_check', sql`year BETWEEN 1886 AND 2100`),
    check('vehicles_mileage_check', sql`mileage IS NULL OR mileage BETWEEN 0 AND 3000000`),
    check(
      'vehicles_text_length_check',
      sql`char_length(make) BETWEEN 1 AND 60 AND char_length(model) BETWEEN 1 AND 80
        AND (nickname IS NULL OR char_length(nickname) BETWEEN 1 AND 60)
        AND ("trim" IS NULL OR char_length("trim") BETWEEN 1 AND 80)
        AND (engine IS NULL OR char_length(engine) BETWEEN 1 AND 80)
        AND (fuel IS NULL OR char_length(fuel) BETWEEN 1 AND 40)`,
    ),
    // A VIN is one car: once per garage (two customers may both have owned it).
    uniqueIndex('vehicles_owner_vin_key')
      .on(t.ownerId, t.vin)
      .where(sql`vin IS NOT NULL`),
    index('vehicles_owner_id_idx').on(t.ownerId),
  ],
);
