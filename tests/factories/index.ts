import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { mechanics, users, workshops } from '../../src/server/db/schema.js';
import type { TestApp } from '../helpers/test-app.js';

/*
 * Test data built the way the product builds it: accounts through the auth library, then the
 * same rows an admin's approval would write.
 */

export type TestUser = { id: string; email: string; token: string; headers: { authorization: string } };

export async function signUp(t: TestApp, prefix = 'user'): Promise<TestUser> {
  const email = `${prefix}-${crypto.randomBytes(5).toString('hex')}@example.test`;
  const result = await t.auth.api.signUpEmail({ body: { email, password: 'correct-horse-battery', name: prefix } });
  return { id: result.user.id, email, token: result.token!, headers: { authorization: `Bearer ${result.token}` } };
}

export const customer = (t: TestApp) => signUp(t, 'customer');

export async function admin(t: TestApp): Promise<TestUser> {
  const user = await signUp(t, 'admin');
  await t.database.db.update(users).set({ role: 'admin' }).where(eq(users.id, user.id));
  return user;
}

export async function workshop(t: TestApp, name = `Workshop ${crypto.randomBytes(3).toString('hex')}`) {
  const [row] = await t.database.db.insert(workshops).values({ name, city: 'Springfield', country: 'US' }).returning();
  return row!;
}

export type MechanicOptions = {
  tier?: 'virtual_only' | 'workshop_partner';
  workshopId?: string;
  approval?: 'pending' | 'approved' | 'suspended';
  canAccept?: boolean;
  onShift?: boolean;
};

export async function mechanic(t: TestApp, options: MechanicOptions = {}): Promise<TestUser> {
  const user = await signUp(t, 'mechanic');
  await t.database.db.update(users).set({ role: 'mechanic' }).where(eq(users.id, user.id));
  const tier = options.tier ?? (options.workshopId ? 'workshop_partner' : 'virtual_only');
  const workshopId = tier === 'workshop_partner' ? (options.workshopId ?? (await workshop(t)).id) : null;
  await t.database.db.insert(mechanics).values({
    userId: user.id,
    displayName: 'Test Mechanic',
    serviceTier: tier,
    workshopId,
    approvalStatus: options.approval ?? 'approved',
    canAcceptSessions: options.canAccept ?? true,
    onShift: options.onShift ?? true,
  });
  return user;
}

export function sessionBody(overrides: Record<string, unknown> = {}) {
  return {
    plan: 'quick',
    vehicle: { year: 2016, make: 'Toyota', model: 'Corolla', mileage: 98000 },
    concern: 'Grinding noise from the front left wheel when braking.',
    ...overrides,
  };
}
