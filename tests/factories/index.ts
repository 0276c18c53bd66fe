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

export const TEST_CARD = { cardNumber: '4242 4242 4242 4242', expMonth: 12, expYear: 2030, cvc: '123' };

/** An authorised payment for `plan`, paid the way the web app pays: checkout, then the test card. */
export async function payFor(t: TestApp, customer: TestUser, plan = 'quick', card = TEST_CARD): Promise<string> {
  const checkout = await t.app.inject({
    method: 'POST',
    url: '/api/payments/checkout',
    headers: customer.headers,
    payload: { plan },
  });
  if (checkout.statusCode !== 201) throw new Error(`checkout failed: ${checkout.statusCode} ${checkout.body}`);
  const { id } = checkout.json() as { id: string };
  const confirmed = await t.app.inject({
    method: 'POST',
    url: `/api/payments/${id}/confirm`,
    headers: customer.headers,
    payload: card,
  });
  if (confirmed.statusCode !== 200) throw new Error(`confirm failed: ${confirmed.statusCode} ${confirmed.body}`);
  return id;
}

/** A request body for a session, paid for when its plan is (the free plan needs no payment). */
export async function paidSessionBody(t: TestApp, customer: TestUser, overrides: Record<string, unknown> = {}) {
  const body: Record<string, unknown> = sessionBody(overrides);
  if (body.plan !== 'free' && !('paymentId' in overrides))
    body.paymentId = await payFor(t, customer, String(body.plan));
  return body;
}
