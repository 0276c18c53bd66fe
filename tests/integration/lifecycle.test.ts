import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminActions, plans, sessionEvents } from '../../src/server/db/schema.js';
import {
  admin,
  customer,
  mechanic,
  paidSessionBody,
  sessionBody,
  workshop,
  type TestUser,
} from '../factories/index.js';
import { acceptedSession, liveSession, pendingSession } from '../factories/sessions.js';
import { call, get, post } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let boss: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  boss = await admin(t);
});
afterAll(() => t.close());

const statusEvents = async (sessionId: string) =>
  (await t.database.db.select().from(sessionEvents).where(eq(sessionEvents.sessionId, sessionId))).filter(
    (e) => e.fromStatus !== e.toStatus,
  );

describe('T1 create', () => {
  it('a customer creates a pending session with the plan’s minutes and an offer deadline', async () => {
    const c = await customer(t);
    const reply = await post(t, '/api/sessions', c, await paidSessionBody(t, c, { plan: 'standard', urgent: true }));
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      status: 'pending',
      kind: 'video',
      plan: 'standard',
      customerId: c.id,
      mechanicId: null,
      plannedMinutes: 45,
      urgent: true,
      version: 1,
      participants: [{ userId: c.id, role: 'customer', joinedAt: null, connected: false }],
    });
    const deadline = Date.parse(reply.body.deadlineAt) - Date.parse(reply.body.requestedAt);
    expect(deadline).toBe(300_000); // urgent offer window
  });

  it('one open session per customer: ACTIVE_SESSION_EXISTS', async () => {
    const c = await customer(t);
    await pendingSession(t, c);
    const reply = await post(t, '/api/sessions', c, sessionBody());
    expect(reply.status).toBe(409);
    expect(reply.body.code).toBe('ACTIVE_SESSION_EXISTS');
  });

  it('the same Idempotency-Key and body return the same session; another body is 422', async () => {
    const c = await customer(t);
    const key = { 'idempotency-key': 'retry-123' };
    const body = await paidSessionBody(t, c);
    const first = await call(t, 'POST', '/api/sessions', { as: c, body, headers: key });
    const second = await call(t, 'POST', '/api/sessions', { as: c, body, headers: key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const changed = await call(t, 'POST', '/api/sessions', {
      as: c,
      body: { ...body, concern: 'Something else entirely now.' },
      headers: key,
    });
    expect(changed.status).toBe(422);
    expect(changed.body.code).toBe('IDEMPOTENCY_MISMATCH');
  });

  it('the free plan is once per customer, unless cancelled before acceptance', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const cancelled = await pendingSession(t, c, { plan: 'free' });
    await post(t, `/api/sessions/${cancelled.id}/end`, c);
    const used = await acceptedSession(t, c, m, { plan: 'free' });
    await post(t, `/api/sessions/${used.id}/end`, c);
    const third = await post(t, '/api/sessions', c, sessionBody({ plan: 'free' }));
    expect(third.status).toBe(409);
    expect(third.body.code).toBe('FREE_PLAN_USED');
  });

  it('an unknown or inactive plan is VALIDATION_FAILED', async () => {
    const c = await customer(t);
    await t.database.db
      .insert(plans)
      .values({ slug: 'retired', name: 'Old', kind: 'chat', priceCents: 1, minutes: 5, active: false });
    for (const plan of ['nope', 'retired']) {
      const reply = await post(t, '/api/sessions', c, sessionBody({ plan }));
      expect(reply.status).toBe(400);
      expect(reply.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('validates the VIN check digit', async () => {
    const c = await customer(t);
    const bad = await post(
      t,
      '/api/sessions',
      c,
      sessionBody({ vehicle: { year: 2003, make: 'Honda', model: 'Accord', vin: '1HGCM82643A004352' } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('body.vehicle.vin');
    const good = await post(
      t,
      '/api/sessions',
      c,
      await paidSessionBody(t, c, {
        vehicle: { year: 2003, make: 'Honda', model: 'Accord', vin: '1hgcm82633a004352' },
      }),
    );
    expect(good.status).toBe(201);
    expect(good.body.vehicle.vin).toBe('1HGCM82633A004352');
  });

  it('only customers create sessions', async () => {
    expect((await post(t, '/api/sessions', undefined, sessionBody())).status).toBe(401);
    expect((await post(t, '/api/sessions', await mechanic(t), sessionBody())).status).toBe(403);
    expect((await post(t, '/api/sessions', boss, sessionBody())).status).toBe(403);
  });
});

describe('queue and accept (T2)', () => {
  it('an on-shift mechanic sees pending sessions, urgent first, then oldest', async () => {
    const m = await mechanic(t);
    const normal = await pendingSession(t, await customer(t));
    t.clock.advanceSeconds(1);
    const urgent = await pendingSession(t, await customer(t), { urgent: true });
    const queue = await get(t, '/api/mechanic/queue', m);
    const ids = queue.body.items.map((s: { id: string }) => s.id);
    expect(ids.indexOf(urgent.id)).toBeLessThan(ids.indexOf(normal.id));
    expect(queue.body.items[0]).not.toHaveProperty('customerEmail');
  });

  it('the queue says why it is empty for an ineligible mechanic', async () => {
    const off = await mechanic(t, { onShift: false });
    expect((await get(t, '/api/mechanic/queue', off)).body).toEqual({ items: [], blockedBy: 'OFF_SHIFT' });
    const pending = await mechanic(t, { approval: 'pending' });
    expect((await get(t, '/api/mechanic/queue', pending)).body.blockedBy).toBe('NOT_APPROVED');
  });

  it('accepting makes the mechanic a participant; a second mechanic gets ALREADY_TAKEN', async () => {
    const c = await customer(t);
    const [m1, m2] = [await mechanic(t), await mechanic(t)];
    const session = await pendingSession(t, c);
    const won = await post(t, `/api/sessions/${session.id}/accept`, m1);
    expect(won.status).toBe(200);
    expect(won.body).toMatchObject({ status: 'accepted', mechanicId: m1.id, version: 2 });
    expect(won.body.participants.map((p: { role: string }) => p.role).sort()).toEqual(['customer', 'mechanic']);
    const lost = await post(t, `/api/sessions/${session.id}/accept`, m2);
    expect(lost.status).toBe(409);
    expect(lost.body.code).toBe('ALREADY_TAKEN');
    const queue = await get(t, '/api/mechanic/queue', m2);
    expect(queue.body.items.map((s: { id: string }) => s.id)).not.toContain(session.id);
  });

  it('an ineligible mechanic gets NOT_ELIGIBLE with the first failing rule', async () => {
    const c = await customer(t);
    const diagnostic = await pendingSession(t, c, { plan: 'diagnostic' });
    const virtual = await mechanic(t, { tier: 'virtual_only' });
    const reply = await post(t, `/api/sessions/${diagnostic.id}/accept`, virtual);
    expect(reply.status).toBe(403);
    expect(reply.body).toMatchObject({ code: 'NOT_ELIGIBLE', reason: 'TIER_REQUIRED' });
    const offShift = await post(t, `/api/sessions/${diagnostic.id}/accept`, await mechanic(t, { onShift: false }));
    expect(offShift.body.reason).toBe('OFF_SHIFT');
    const partner = await mechanic(t, { tier: 'workshop_partner' });
    expect((await post(t, `/api/sessions/${diagnostic.id}/accept`, partner)).status).toBe(200);
  });

  it('a busy mechanic cannot accept a second session', async () => {
    const m = await mechanic(t);
    await acceptedSession(t, await customer(t), m);
    const other = await pendingSession(t, await customer(t));
    const reply = await post(t, `/api/sessions/${other.id}/accept`, m);
    expect(reply.status).toBe(403);
    expect(reply.body.reason).toBe('BUSY');
  });

  it('a session for a workshop is for its members; a preferred mechanic has it first', async () => {
    const shop = await workshop(t);
    const member = await mechanic(t, { workshopId: shop.id });
    const outsider = await mechanic(t, { tier: 'workshop_partner' });
    const forShop = await pendingSession(t, await customer(t), { workshopId: shop.id });
    expect((await post(t, `/api/sessions/${forShop.id}/accept`, outsider)).body.reason).toBe('OTHER_WORKSHOP');
    expect((await post(t, `/api/sessions/${forShop.id}/accept`, member)).status).toBe(200);

    const preferred = await mechanic(t);
    const anyone = await mechanic(t);
    const reserved = await pendingSession(t, await customer(t), { preferredMechanicId: preferred.id });
    expect((await post(t, `/api/sessions/${reserved.id}/accept`, anyone)).body.reason).toBe('RESERVED');
    t.clock.advanceSeconds(121);
    expect((await post(t, `/api/sessions/${reserved.id}/accept`, anyone)).status).toBe(200);
  });

  it('customers and admins are NOT_A_MECHANIC', async () => {
    const session = await pendingSession(t, await customer(t));
    const reply = await post(t, `/api/sessions/${session.id}/accept`, await customer(t));
    expect(reply.body).toMatchObject({ code: 'NOT_ELIGIBLE', reason: 'NOT_A_MECHANIC' });
  });
});

describe('release (T5)', () => {
  it('returns the session to the queue, hidden from the mechanic who released it', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await acceptedSession(t, c, m);
    t.clock.advanceSeconds(30);
    const reply = await post(t, `/api/sessions/${session.id}/release`, m);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'pending', mechanicId: null, acceptedAt: null });
    expect(Date.parse(reply.body.deadlineAt)).toBe(t.clock.now().getTime() + 900_000);
    expect(reply.body.participants).toHaveLength(1);
    const queue = await get(t, '/api/mechanic/queue', m);
    expect(queue.body.items.map((s: { id: string }) => s.id)).not.toContain(session.id);
    const again = await post(t, `/api/sessions/${session.id}/accept`, m);
    expect(again.body.reason).toBe('RELEASED_BEFORE');
    expect((await post(t, `/api/sessions/${session.id}/accept`, await mechanic(t))).status).toBe(200);
  });

  it('only the assigned mechanic releases; a stranger gets 404', async () => {
    const c = await customer(t);
    const session = await acceptedSession(t, c, await mechanic(t));
    expect((await post(t, `/api/sessions/${session.id}/release`, c)).status).toBe(403);
    expect((await post(t, `/api/sessions/${session.id}/release`, await mechanic(t))).status).toBe(404);
  });
});

describe('join (T6) and end (T3, T7, T8, T10)', () => {
  it('both join → live; a participant ends → completed; ending again is alreadyEnded with no new event', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await acceptedSession(t, c, m);
    const first = await post(t, `/api/sessions/${session.id}/join`, c);
    expect(first.body.status).toBe('accepted');
    t.clock.advanceSeconds(20);
    const second = await post(t, `/api/sessions/${session.id}/join`, m);
    expect(second.body).toMatchObject({ status: 'live', startedAt: t.clock.now().toISOString() });
    const rejoin = await post(t, `/api/sessions/${session.id}/join`, c);
    expect(rejoin.body.version).toBe(second.body.version);
    t.clock.advanceSeconds(14 * 60 + 40);
    const ended = await post(t, `/api/sessions/${session.id}/end`, m);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({
      alreadyEnded: false,
      session: { status: 'completed', endReason: 'ended_by_participant', endedBy: 'mechanic', durationMinutes: 15 },
    });
    const again = await post(t, `/api/sessions/${session.id}/end`, c);
    expect(again.status).toBe(200);
    expect(again.body.alreadyEnded).toBe(true);
    expect(again.body.session.version).toBe(ended.body.session.version);
    const events = await statusEvents(session.id);
    expect(events.map((e) => e.toStatus)).toEqual(['pending', 'accepted', 'live', 'completed']);
    expect(events.filter((e) => e.type === 'session.ended')).toHaveLength(1);
  });

  it('T3: the customer cancels a pending request', async () => {
    const c = await customer(t);
    const session = await pendingSession(t, c);
    const reply = await post(t, `/api/sessions/${session.id}/end`, c, { reason: 'fixed it myself' });
    expect(reply.body.session).toMatchObject({
      status: 'cancelled',
      endReason: 'cancelled_before_accept',
      endedBy: 'customer',
    });
  });

  it('T7: after the join window, a customer ending a session the mechanic never joined records a mechanic no-show', async () => {
    const c = await customer(t);
    const session = await acceptedSession(t, c, await mechanic(t));
    await post(t, `/api/sessions/${session.id}/join`, c);
    t.clock.advanceSeconds(601);
    const reply = await post(t, `/api/sessions/${session.id}/end`, c);
    expect(reply.body.session).toMatchObject({ status: 'no_show', noShowParty: 'mechanic', endedBy: 'customer' });
  });

  it('T8: the mechanic cancels before the window', async () => {
    const m = await mechanic(t);
    const session = await acceptedSession(t, await customer(t), m);
    const reply = await post(t, `/api/sessions/${session.id}/end`, m);
    expect(reply.body.session).toMatchObject({ status: 'cancelled', endReason: 'cancelled_by_mechanic' });
  });

  it('joining a pending session is INVALID_TRANSITION', async () => {
    const c = await customer(t);
    const session = await pendingSession(t, c);
    const reply = await post(t, `/api/sessions/${session.id}/join`, c);
    expect(reply.status).toBe(409);
    expect(reply.body.code).toBe('INVALID_TRANSITION');
  });

  it('a terminal session is closed: join, message, accept and release are SESSION_CLOSED; reads still work', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    await post(t, `/api/sessions/${session.id}/end`, c);
    expect((await post(t, `/api/sessions/${session.id}/join`, c)).body.code).toBe('SESSION_CLOSED');
    expect((await post(t, `/api/sessions/${session.id}/release`, m)).body.code).toBe('SESSION_CLOSED');
    expect((await post(t, `/api/sessions/${session.id}/accept`, await mechanic(t))).body.code).toBe('SESSION_CLOSED');
    const message = await post(t, `/api/sessions/${session.id}/messages`, c, {
      body: 'hello?',
      clientId: crypto.randomUUID(),
    });
    expect(message.status).toBe(409);
    expect(message.body.code).toBe('SESSION_CLOSED');
    expect((await get(t, `/api/sessions/${session.id}`, c)).status).toBe(200);
    expect((await get(t, `/api/sessions/${session.id}/messages`, c)).status).toBe(200);
    expect((await get(t, `/api/sessions/${session.id}/events`, m)).status).toBe(200);
  });
});

describe('who can see a session', () => {
  it('the customer, the assigned mechanic and admins; everyone else gets 404, anonymous 401', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await acceptedSession(t, c, m);
    const otherCustomer = await customer(t);
    const otherMechanic = await mechanic(t);
    for (const path of ['', '/events', '/messages', '/report']) {
      const url = `/api/sessions/${session.id}${path}`;
      expect((await get(t, url)).status, `anonymous ${url}`).toBe(401);
      expect((await get(t, url, otherCustomer)).status, `other customer ${url}`).toBe(404);
      expect((await get(t, url, otherMechanic)).status, `other mechanic ${url}`).toBe(404);
      if (path !== '/report') {
        expect((await get(t, url, c)).status, `owner ${url}`).toBe(200);
        expect((await get(t, url, m)).status, `assigned mechanic ${url}`).toBe(200);
        expect((await get(t, url, boss)).status, `admin ${url}`).toBe(200);
      }
    }
    for (const action of ['join', 'end', 'release']) {
      expect((await post(t, `/api/sessions/${session.id}/${action}`, otherCustomer)).status).toBe(404);
      expect((await post(t, `/api/sessions/${session.id}/${action}`)).status).toBe(401);
    }
  });

  it('a non-existent session is 404 for everyone', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await get(t, `/api/sessions/${id}`, boss)).status).toBe(404);
    expect((await post(t, `/api/sessions/${id}/end`, await customer(t))).status).toBe(404);
    expect((await post(t, `/api/sessions/${id}/accept`, await mechanic(t))).status).toBe(404);
  });
});

describe('listing and the event timeline', () => {
  it('lists own sessions by status with cursor paging', async () => {
    const c = await customer(t);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await pendingSession(t, c);
      ids.push(s.id);
      await post(t, `/api/sessions/${s.id}/end`, c);
      t.clock.advanceSeconds(1);
    }
    const open = await pendingSession(t, c);
    const active = await get(t, '/api/sessions?status=active', c);
    expect(active.body.items.map((s: { id: string }) => s.id)).toEqual([open.id]);
    const page1 = await get(t, '/api/sessions?status=ended&limit=2', c);
    expect(page1.body.items.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
    const page2 = await get(t, `/api/sessions?status=ended&limit=2&cursor=${page1.body.nextCursor}`, c);
    expect(page2.body.items.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
    expect(page2.body.nextCursor).toBeNull();
  });

  it('the timeline pages with ?after and names actor, from and to', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const all = await get(t, `/api/sessions/${session.id}/events`, c);
    expect(all.body.items.map((e: { type: string }) => e.type)).toEqual([
      'session.created',
      'session.accepted',
      'session.joined',
      'session.started',
    ]);
    expect(all.body.items[1]).toMatchObject({
      actorId: m.id,
      actorRole: 'mechanic',
      fromStatus: 'pending',
      toStatus: 'accepted',
    });
    const after = await get(t, `/api/sessions/${session.id}/events?after=${all.body.items[1].id}`, c);
    expect(after.body.items).toHaveLength(2);
  });
});

describe('admin force end (T13)', () => {
  it('ends an open session with a reason, audited; a closed one is SESSION_CLOSED', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    const reply = await post(t, `/api/admin/sessions/${session.id}/force-end`, boss, {
      reason: 'customer called support',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'completed', endReason: 'admin', endedBy: 'admin' });
    const [audit] = await t.database.db.select().from(adminActions).where(eq(adminActions.targetId, session.id));
    expect(audit).toMatchObject({
      action: 'session.force_end',
      reason: 'customer called support',
      before: { status: 'live' },
    });
    const again = await post(t, `/api/admin/sessions/${session.id}/force-end`, boss, { reason: 'again' });
    expect(again.body.code).toBe('SESSION_CLOSED');
    expect((await post(t, `/api/admin/sessions/${session.id}/force-end`, c, { reason: 'x' })).status).toBe(403);
  });

  it('lists stuck sessions: open and past their deadline', async () => {
    const session = await pendingSession(t, await customer(t));
    const before = await get(t, '/api/admin/sessions?stuck=true&limit=100', boss);
    expect(before.body.items.map((s: { id: string }) => s.id)).not.toContain(session.id);
    t.clock.advanceSeconds(901);
    const after = await get(t, '/api/admin/sessions?stuck=true&limit=100', boss);
    expect(after.body.items.map((s: { id: string }) => s.id)).toContain(session.id);
  });
});
