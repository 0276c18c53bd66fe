import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { APPROVAL_STATUSES, PLAN_KINDS, SERVICE_TIERS } from '../../../shared/domain.js';
import { PHOTO_TYPES } from '../../../shared/photos.js';
import { createdAt, oneOf, tstz, updatedAt } from './columns.js';

import { users } from './accounts.js';

// ── Mechanics, workshops, plans ──────────────────────────────────────────────────────────────

export const workshops = pgTable(
  'workshops',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    city: text('city').notNull(),
    country: text('country').notNull(),
    status: text('status', { enum: ['active', 'suspended'] })
      .notNull()
      .default('active'),
    createdAt: createdAt(),
  },
  (t) => [
    check('workshops_status_check', oneOf('status', ['active', 'suspended'])),
    uniqueIndex('workshops_name_city_key').on(t.name, t.city),
  ],
);

export const mechanics = pgTable(
  'mechanics',
  {
    // The mechanic's id *is* the auth user's id: one identity per person.
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'restrict' }),
    displayName: text('display_name').notNull(),
    serviceTier: text('service_tier', { enum: SERVICE_TIERS }).notNull(),
    workshopId: uuid('workshop_id').references(() => workshops.id, {
      onDelete: 'restrict',
    }),
    approvalStatus: text('approval_status', { enum: APPROVAL_STATUSES }).notNull().default('pending'),
    canAcceptSessions: boolean('can_accept_sessions').notNull().default(true),
    onShift: boolean('on_shift').notNull().default(false),
    shiftChangedAt: tstz('shift_changed_at'),
    brands: text('brands')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    yearsExperience: integer('years_experience').notNull().default(0),
    bio: text('bio').notNull().default(''),
    ratingAvg: doublePrecision('rating_avg').notNull().default(0),
    ratingCount: integer('rating_count').notNull().default(0),
    /**
     * The profile photo customers see (jpeg, png or webp, sniffed from its bytes), stored like an
     * attachment under its hash; all four set, or none (no photo: initials are shown).
     */
    photoStorageKey: text('photo_storage_key'),
    photoSha256: text('photo_sha256'),
    photoContentType: text('photo_content_type', { enum: PHOTO_TYPES }),
    photoSizeBytes: integer('photo_size_bytes'),
    /** Where payouts go: the provider's connected account (Stripe Connect `acct_…`); null: none yet. */
    payoutAccount: text('payout_account'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('mechanics_service_tier_check', oneOf('service_tier', SERVICE_TIERS)),
    check('mechanics_approval_status_check', oneOf('approval_status', APPROVAL_STATUSES)),
    // A workshop link exists exactly for workshop partners.
    check(
      'mechanics_workshop_matches_tier_check',
      sql`(service_tier = 'workshop_partner') = (workshop_id IS NOT NULL)`,
    ),
    check('mechanics_years_experience_check', sql`years_experience BETWEEN 0 AND 80`),
    check('mechanics_rating_check', sql`rating_count >= 0 AND rating_avg BETWEEN 0 AND 5`),
    // A photo is all four columns or none; NULL passes the type check, as CHECKs let NULL through.
    check('mechanics_photo_type_check', oneOf('photo_content_type', PHOTO_TYPES)),
    check(
      'mechanics_photo_check',
      sql`(photo_storage_key IS NULL) = (photo_sha256 IS NULL) AND (photo_storage_key IS NULL) = (photo_content_type IS NULL) AND (photo_storage_key IS NULL) = (photo_size_bytes IS NULL) AND (photo_size_bytes IS NULL OR photo_size_bytes > 0)`,
    ),
    index('mechanics_workshop_id_idx').on(t.workshopId),
  ],
);

export const plans = pgTable(
  'plans',
  {
    slug: text('slug').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind', { enum: PLAN_KINDS }).notNull(),
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull().default('USD'),
    minutes: integer('minutes').notNull(),
    requiredTier: text('required_tier', { enum: ['workshop_partner'] }),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    /** A paid extension adds this many minutes for this price (payments.md §3); null: none. */
    extensionMinutes: integer('extension_minutes'),
    extensionPriceCents: integer('extension_price_cents'),
  },
  () => [
    check(
      'plans_extension_check',
      sql`(extension_minutes IS NULL) = (extension_price_cents IS NULL) AND (extension_minutes IS NULL OR (extension_minutes > 0 AND extension_price_cents > 0))`,
    ),
    check('plans_kind_check', oneOf('kind', PLAN_KINDS)),
    check('plans_required_tier_check', sql`required_tier IS NULL OR required_tier = 'workshop_partner'`),
    check('plans_price_check', sql`price_cents >= 0`),
    check('plans_minutes_check', sql`minutes > 0`),
  ],
);
