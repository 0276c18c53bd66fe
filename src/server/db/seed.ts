import { sql } from 'drizzle-orm';
import type { Auth } from '../auth/auth.js';
import type { Db } from './client.js';
import { mechanics, plans, users, workshops } from './schema.js';

/** The plans of domain.md §3. Prices in cents. */
export const PLANS = [
  {
    slug: 'free',
    name: 'Free Quick Question',
    kind: 'chat',
    priceCents: 0,
    minutes: 5,
    requiredTier: null,
    sortOrder: 1,
    extensionMinutes: null,
    extensionPriceCents: null,
  },
  {
    slug: 'quick',
    name: 'Quick Chat',
    kind: 'chat',
    priceCents: 999,
    minutes: 30,
    requiredTier: null,
    sortOrder: 2,
    extensionMinutes: 10,
    extensionPriceCents: 499,
  },
  {
    slug: 'standard',
    name: 'Standard Video',
    kind: 'video',
    priceCents: 2999,
    minutes: 45,
    requiredTier: null,
    sortOrder: 3,
    extensionMinutes: 15,
    extensionPriceCents: 1299,
  },
  {
    slug: 'diagnostic',
    name: 'Full Diagnostic',
    kind: 'diagnostic',
    priceCents: 4999,
    minutes: 60,
    requiredTier: 'workshop_partner',
    sortOrder: 4,
    extensionMinutes: 15,
    extensionPriceCents: 1499,
  },
] as const;

export const DEMO_PASSWORD = 'autodoctor-demo';
export const DEMO_WORKSHOP = { name: 'Downtown Auto Clinic', city: 'Springfield', country: 'US' };

/** Plans are reference data: inserted when missing, left alone when an operator changed them. */
export async function seedPlans(db: Db): Promise<void> {
  await db
    .insert(plans)
    .values(PLANS.map((p) => ({ ...p, currency: 'USD', active: true })))
    .onConflictDoNothing();
}

/** Creates a user through the auth library (hashing its password) unless the email exists. */
export async function ensureUser(
  db: Db,
  auth: Auth,
  input: { email: string; password: string; name: string; role: 'customer' | 'mechanic' | 'admin' },
): Promise<string> {
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = lower(${input.email})`);
  const id =
    existing?.id ??
    (await auth.api.signUpEmail({ body: { email: input.email, password: input.password, name: input.name } })).user.id;
  if (input.role !== 'customer')
    await db
      .update(users)
      .set({ role: input.role })
      .where(sql`${users.id} = ${id}`);
  return id;
}

/** The demo accounts of api.md. Running it twice changes nothing. */
export async function seedDemo(db: Db, auth: Auth): Promise<void> {
  await db.insert(workshops).values(DEMO_WORKSHOP).onConflictDoNothing();
  const [workshop] = await db
    .select({ id: workshops.id })
    .from(workshops)
    .where(sql`${workshops.name} = ${DEMO_WORKSHOP.name} AND ${workshops.city} = ${DEMO_WORKSHOP.city}`);
  const password = DEMO_PASSWORD;
  await ensureUser(db, auth, { email: 'admin@test.com', password, name: 'Alex Admin', role: 'admin' });
  await ensureUser(db, auth, { email: 'cust1@test.com', password, name: 'Casey Customer', role: 'customer' });
  await ensureUser(db, auth, { email: 'cust2@test.com', password, name: 'Charlie Customer', role: 'customer' });
  const demoMechanics = [
    {
      email: 'mechanic.workshop@test.com',
      name: 'Morgan Workshop',
      serviceTier: 'workshop_partner' as const,
      workshopId: workshop!.id,
      approvalStatus: 'approved' as const,
      brands: ['Toyota', 'Honda', 'Ford'],
      yearsExperience: 12,
      bio: 'ASE master technician at Downtown Auto Clinic.',
    },
    {
      email: 'mechanic.virtual@test.com',
      name: 'Val Virtual',
      serviceTier: 'virtual_only' as const,
      workshopId: null,
      approvalStatus: 'approved' as const,
      brands: ['Volkswagen', 'BMW', 'Audi'],
      yearsExperience: 8,
      bio: 'European cars, electrical faults and warning lights.',
    },
    {
      email: 'mechanic.pending@test.com',
      name: 'Pat Pending',
      serviceTier: 'virtual_only' as const,
      workshopId: null,
      approvalStatus: 'pending' as const,
      brands: ['Chevrolet'],
      yearsExperience: 3,
      bio: 'Applied, waiting for approval.',
    },
  ];
  for (const m of demoMechanics) {
    const userId = await ensureUser(db, auth, { email: m.email, password, name: m.name, role: 'mechanic' });
    await db
      .insert(mechanics)
      .values({
        userId,
        displayName: m.name,
        serviceTier: m.serviceTier,
        workshopId: m.workshopId,
        approvalStatus: m.approvalStatus,
        canAcceptSessions: true,
        onShift: false,
        brands: m.brands,
        yearsExperience: m.yearsExperience,
        bio: m.bio,
      })
      .onConflictDoNothing();
  }
}
