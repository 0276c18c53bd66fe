import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminActions, users } from '../../src/server/db/schema.js';
import { admin, customer, mechanic, signUp, workshop, type TestUser } from '../factories/index.js';
import { call, get, post } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { pendingSession } from '../factories/sessions.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const application = (overrides: Record<string, unknown> = {}) => ({
  displayName: 'Sam Spanner',
  serviceTier: 'virtual_only',
  brands: ['Ford'],
  yearsExperience: 5,
  bio: 'Ten years of brakes.',
  ...overrides,
});

describe('sign-up, sign-in and /api/me', () => {
  it('signs up a customer over HTTP with a session cookie, and /api/me answers from it', async () => {
    const email = `New.Person.${Date.now()}@Example.test`;
    const signUpReply = await call(t, 'POST', '/api/auth/sign-up/email', {
      body: { email, password: 'a-long-password', name: 'New Person' },
    });
    expect(signUpReply.status).toBe(200);
    const cookie = String(signUpReply.headers['set-cookie']).split(';')[0]!;
    expect(String(signUpReply.headers['set-cookie'])).toMatch(/HttpOnly/i);
    expect(String(signUpReply.headers['set-cookie'])).toMatch(/SameSite=Lax/i);
    const me = await call(t, 'GET', '/api/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      user: { id: expect.any(String), email: email.toLowerCase(), name: 'New Person', role: 'customer' },
      mechanic: null,
    });
  });

  it('stores a password hash, never the password', async () => {
    const user = await signUp(t);
    const rows = await t.database.db.execute(
      `SELECT password FROM auth_accounts WHERE user_id = '${user.id}'` as never,
    );
    const stored = (rows as unknown as { rows: { password: string }[] }).rows[0]!.password;
    expect(stored).not.toContain('correct-horse-battery');
    expect(stored.length).toBeGreaterThan(40);
  });

  it('rejects wrong credentials with 401', async () => {
    const user = await signUp(t);
    const reply = await call(t, 'POST', '/api/auth/sign-in/email', {
      body: { email: user.email, password: 'wrong-password' },
    });
    expect(reply.status).toBe(401);
  });

  it('a role sent at sign-up is ignored: everyone starts as a customer', async () => {
    const reply = await call(t, 'POST', '/api/auth/sign-up/email', {
      body: { email: `sneaky-${Date.now()}@example.test`, password: 'a-long-password', name: 'Sneaky', role: 'admin' },
    });
    if (reply.status === 200) {
      const [row] = await t.database.db.select().from(users).where(eq(users.id, reply.body.user.id));
      expect(row!.role).toBe('customer');
    } else {
      expect(reply.status).toBe(400);
    }
  });

  it('signing out ends the session at once, even though sign-ins are cached', async () => {
    const user = await signUp(t);
    expect((await get(t, '/api/me', user)).status).toBe(200); // now cached
    const out = await call(t, 'POST', '/api/auth/sign-out', { as: user, body: {} });
    expect(out.status).toBe(200);
    expect((await get(t, '/api/me', user)).status).toBe(401);
  });

  it('anonymous /api/me is 401 problem+json', async () => {
    const reply = await get(t, '/api/me');
    expect(reply.status).toBe(401);
    expect(reply.headers['content-type']).toContain('application/problem+json');
    expect(reply.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('a garbage bearer token is anonymous', async () => {
    const reply = await get(t, '/api/me', { headers: { authorization: 'Bearer not-a-token' } });
    expect(reply.status).toBe(401);
  });
});

describe('sign-in rate limiting', () => {
  it('answers 429 after too many attempts from one address', async () => {
    const limited = await createTestApp({ signInRateLimit: { windowSeconds: 60, max: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const reply = await call(limited, 'POST', '/api/auth/sign-in/email', {
          body: { email: 'nobody@example.test', password: 'whatever-password' },
          remoteAddress: '192.0.2.20', // counters are per address (and kept per process)
        });
        statuses.push(reply.status);
      }
      expect(statuses.slice(0, 2)).toEqual([401, 401]);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('cookie-authenticated writes pass the origin check', () => {
  it('refuses a state change with a cookie from a foreign origin, allows our own', async () => {
    const email = `origin-${Date.now()}@example.test`;
    const signUpReply = await call(t, 'POST', '/api/auth/sign-up/email', {
      body: { email, password: 'a-long-password', name: 'Origin' },
    });
    const cookie = String(signUpReply.headers['set-cookie']).split(';')[0]!;
    const foreign = await call(t, 'POST', '/api/sessions', {
      headers: { cookie, origin: 'https://evil.example' },
      body: {
        plan: 'free',
        vehicle: { year: 2015, make: 'Ford', model: 'Focus' },
        concern: 'Engine light is on and flickers.',
      },
    });
    expect(foreign.status).toBe(403);
    const own = await call(t, 'POST', '/api/sessions', {
      headers: { cookie, origin: t.config.publicUrl },
      body: {
        plan: 'free',
        vehicle: { year: 2015, make: 'Ford', model: 'Focus' },
        concern: 'Engine light is on and flickers.',
      },
    });
    expect(own.status).toBe(201);
  });

  it('a local server trusts 127.0.0.1 as it trusts localhost, and no other host', async () => {
    const email = `loopback-${Date.now()}@example.test`;
    const signUpReply = await call(t, 'POST', '/api/auth/sign-up/email', {
      body: { email, password: 'a-long-password', name: 'Loopback' },
    });
    const cookie = String(signUpReply.headers['set-cookie']).split(';')[0]!;
    const create = (origin: string) =>
      call(t, 'POST', '/api/sessions', {
        headers: { cookie, origin },
        body: {
          plan: 'free',
          vehicle: { year: 2015, make: 'Ford', model: 'Focus' },
          concern: 'Engine light is on and flickers.',
        },
      });
    expect((await create(t.config.publicUrl.replace('localhost', '127.0.0.2'))).status).toBe(403);
    expect((await create(t.config.publicUrl.replace('localhost', '127.0.0.1'))).status).toBe(201);
  });
});

describe('mechanic application and shift', () => {
  it('a customer applies and becomes a mechanic pending approval', async () => {
    const user = await customer(t);
    const reply = await post(t, '/api/mechanics/apply', user, application());
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      userId: user.id,
      approvalStatus: 'pending',
      serviceTier: 'virtual_only',
      onShift: false,
    });
    const me = await get(t, '/api/me', user);
    expect(me.body.user.role).toBe('mechanic');
    expect(me.body.mechanic.approvalStatus).toBe('pending');
    const again = await post(t, '/api/mechanics/apply', user, application());
    expect(again.status).toBe(403);
  });

  it('a customer who has booked sessions cannot apply', async () => {
    const user = await customer(t);
    await pendingSession(t, user);
    expect((await post(t, '/api/mechanics/apply', user, application())).status).toBe(403);
  });

  it('the tier and the workshop must agree', async () => {
    const user = await customer(t);
    const shop = await workshop(t);
    const missing = await post(t, '/api/mechanics/apply', user, application({ serviceTier: 'workshop_partner' }));
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].path).toBe('body.workshopId');
    const extra = await post(t, '/api/mechanics/apply', user, application({ workshopId: shop.id }));
    expect(extra.status).toBe(400);
    const unknown = await post(
      t,
      '/api/mechanics/apply',
      user,
      application({ serviceTier: 'workshop_partner', workshopId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(unknown.status).toBe(400);
    const ok = await post(
      t,
      '/api/mechanics/apply',
      user,
      application({ serviceTier: 'workshop_partner', workshopId: shop.id }),
    );
    expect(ok.status).toBe(201);
    expect(ok.body.workshopId).toBe(shop.id);
  });

  it('the database refuses a workshop partner without a workshop, whatever the code does', async () => {
    const user = await customer(t);
    await expect(
      t.database.db.execute(
        `INSERT INTO mechanics (user_id, display_name, service_tier) VALUES ('${user.id}', 'x', 'workshop_partner')` as never,
      ),
    ).rejects.toThrow();
  });

  it('a mechanic goes on and off shift; others may not', async () => {
    const m = await mechanic(t, { onShift: false });
    const on = await post(t, '/api/mechanic/shift', m, { onShift: true });
    expect(on.status).toBe(200);
    expect(on.body.onShift).toBe(true);
    expect(on.body.shiftChangedAt).toEqual(expect.any(String));
    expect((await post(t, '/api/mechanic/shift', await customer(t), { onShift: true })).status).toBe(403);
    expect((await post(t, '/api/mechanic/shift', undefined, { onShift: true })).status).toBe(401);
  });
});

describe('catalogue', () => {
  it('lists the four seeded plans in order', async () => {
    const reply = await get(t, '/api/plans');
    expect(reply.body.items.map((p: { slug: string }) => p.slug)).toEqual(['free', 'quick', 'standard', 'diagnostic']);
    expect(reply.body.items[3]).toMatchObject({ priceCents: 4999, minutes: 60, requiredTier: 'workshop_partner' });
  });

  it('counts approved mechanics on shift', async () => {
    const before = (await get(t, '/api/mechanics/available')).body.onShift;
    await mechanic(t, { onShift: true });
    await mechanic(t, { onShift: true, approval: 'pending' });
    await mechanic(t, { onShift: false });
    expect((await get(t, '/api/mechanics/available')).body.onShift).toBe(before + 1);
  });

  it('lists active workshops', async () => {
    const shop = await workshop(t, 'Listed Garage');
    const reply = await get(t, '/api/workshops');
    expect(reply.body.items).toContainEqual(expect.objectContaining({ id: shop.id, name: 'Listed Garage' }));
  });
});

describe('admin: mechanics and workshops, audited', () => {
  let boss: TestUser;
  beforeAll(async () => {
    boss = await admin(t);
  });

  it('approves a pending mechanic and records who, why, before and after', async () => {
    const m = await mechanic(t, { approval: 'pending' });
    const reply = await post(t, `/api/admin/mechanics/${m.id}/approve`, boss, { reason: 'documents checked' });
    expect(reply.status).toBe(200);
    expect(reply.body.approvalStatus).toBe('approved');
    const [audit] = await t.database.db.select().from(adminActions).where(eq(adminActions.targetId, m.id));
    expect(audit).toMatchObject({
      adminId: boss.id,
      action: 'mechanic.approve',
      reason: 'documents checked',
      before: { approvalStatus: 'pending' },
      after: { approvalStatus: 'approved' },
    });
    const log = await get(t, '/api/admin/audit', boss);
    expect(log.body.items[0]).toMatchObject({ action: 'mechanic.approve', targetId: m.id });
  });

  it('suspends (taking them off shift) and toggles can-accept', async () => {
    const m = await mechanic(t, { onShift: true });
    const suspended = await post(t, `/api/admin/mechanics/${m.id}/suspend`, boss, { reason: 'complaints' });
    expect(suspended.body).toMatchObject({ approvalStatus: 'suspended', onShift: false });
    const off = await post(t, `/api/admin/mechanics/${m.id}/can-accept`, boss, { reason: 'pause', value: false });
    expect(off.body.canAcceptSessions).toBe(false);
    const missingValue = await post(t, `/api/admin/mechanics/${m.id}/can-accept`, boss, { reason: 'pause' });
    expect(missingValue.status).toBe(400);
  });

  it('requires a reason', async () => {
    const m = await mechanic(t, { approval: 'pending' });
    expect((await post(t, `/api/admin/mechanics/${m.id}/approve`, boss, {})).status).toBe(400);
    expect((await post(t, `/api/admin/mechanics/${m.id}/approve`, boss, { reason: '' })).status).toBe(400);
  });

  it('creates a workshop and adds a mechanic to it', async () => {
    const created = await post(t, '/api/admin/workshops', boss, {
      name: 'Eastside Motors',
      city: 'Shelbyville',
      country: 'US',
    });
    expect(created.status).toBe(201);
    const m = await mechanic(t);
    const member = await post(t, `/api/admin/workshops/${created.body.id}/members`, boss, { userId: m.id });
    expect(member.body).toMatchObject({ serviceTier: 'workshop_partner', workshopId: created.body.id });
    const duplicate = await post(t, '/api/admin/workshops', boss, {
      name: 'Eastside Motors',
      city: 'Shelbyville',
      country: 'US',
    });
    expect(duplicate.status).toBe(400);
  });

  it('lists mechanics by approval', async () => {
    const m = await mechanic(t, { approval: 'pending' });
    const reply = await get(t, '/api/admin/mechanics?approval=pending', boss);
    expect(reply.body.items.map((x: { userId: string }) => x.userId)).toContain(m.id);
    expect(reply.body.items.every((x: { approvalStatus: string }) => x.approvalStatus === 'pending')).toBe(true);
  });

  it('unknown mechanic is 404', async () => {
    const reply = await post(t, '/api/admin/mechanics/00000000-0000-4000-8000-000000000000/approve', boss, {
      reason: 'x',
    });
    expect(reply.status).toBe(404);
  });

  it.each([
    ['GET', '/api/admin/mechanics'],
    ['GET', '/api/admin/audit'],
    ['GET', '/api/admin/sessions'],
    ['POST', '/api/admin/workshops'],
  ] as const)('%s %s: 401 anonymous, 403 customer and mechanic', async (method, url) => {
    const body = method === 'POST' ? { name: 'Nope Garage', city: 'X', country: 'US' } : undefined;
    expect((await call(t, method, url, { body })).status).toBe(401);
    expect((await call(t, method, url, { as: await customer(t), body })).status).toBe(403);
    expect((await call(t, method, url, { as: await mechanic(t), body })).status).toBe(403);
    expect((await call(t, method, url, { as: boss, body })).status).toBeLessThan(300);
  });
});

describe('HTTP platform', () => {
  it('health, readiness, metrics and the OpenAPI document', async () => {
    expect((await get(t, '/healthz')).body).toEqual({ ok: true });
    expect((await get(t, '/readyz')).status).toBe(200);
    await get(t, '/api/plans');
    const metrics = await call(t, 'GET', '/metrics', { headers: {} });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('http_requests_total');
    expect(metrics.body).toContain('route="/api/plans"');
    const openapi = await get(t, '/api/openapi.json');
    expect(openapi.body.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/sessions',
        '/api/sessions/{id}/accept',
        '/api/mechanic/queue',
        '/api/admin/sessions',
      ]),
    );
  });

  it('sets security headers', async () => {
    const reply = await get(t, '/healthz');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['content-security-policy']).toContain("default-src 'self'");
    expect(reply.headers['x-frame-options']).toBeDefined();
  });

  it('unknown routes are problem+json 404', async () => {
    const reply = await get(t, '/api/nope');
    expect(reply.status).toBe(404);
    expect(reply.body.code).toBe('NOT_FOUND');
  });
});
