import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, customer, mechanic, type TestUser } from '../factories/index.js';
import { acceptedSession, liveSession, pendingSession } from '../factories/sessions.js';
import { get, post } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/*
 * What the session page reads (#17, items 5 and 6): the customer's rating in the session detail,
 * so that a reload after rating shows the thanks; and the open session the "Return to your
 * session" bar finds through `GET /api/sessions?status=active`.
 */

let t: TestApp;
let boss: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  boss = await admin(t);
});
afterAll(() => t.close());

describe('the session detail says whether the customer rated it', () => {
  it('null until the customer rates; then the rating and comment, on every later read', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    expect((await get(t, `/api/sessions/${session.id}`, c)).body.review).toBeNull();
    await post(t, `/api/sessions/${session.id}/end`, c);
    const before = await get(t, `/api/sessions/${session.id}`, c);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ status: 'completed', review: null });

    const rated = await post(t, `/api/sessions/${session.id}/review`, c, { rating: 5, comment: 'Spot on' });
    expect(rated.status).toBe(201);
    const after = await get(t, `/api/sessions/${session.id}`, c);
    expect(after.body.review).toEqual({
      sessionId: session.id,
      rating: 5,
      comment: 'Spot on',
      createdAt: rated.body.createdAt,
    });
    // The Session's own fields are all still there.
    expect(after.body).toMatchObject({ id: session.id, customerId: c.id, mechanicId: m.id, durationMinutes: 1 });
    expect((await get(t, `/api/sessions/${session.id}`, boss)).body.review).toMatchObject({ rating: 5 });
  });

  it('the mechanic is not told which customer gave which rating: the field is left out', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    await post(t, `/api/sessions/${session.id}/end`, m);
    await post(t, `/api/sessions/${session.id}/review`, c, { rating: 2 });
    const seen = await get(t, `/api/sessions/${session.id}`, m);
    expect(seen.status).toBe(200);
    expect(seen.body).not.toHaveProperty('review');
    expect(seen.body.status).toBe('completed');
  });

  it('a session that cannot be rated reads review: null; a stranger still gets 404', async () => {
    const c = await customer(t);
    const session = await pendingSession(t, c);
    await post(t, `/api/sessions/${session.id}/end`, c);
    const cancelled = await get(t, `/api/sessions/${session.id}`, c);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', review: null });
    expect((await get(t, `/api/sessions/${session.id}`, await customer(t))).status).toBe(404);
    expect((await get(t, `/api/sessions/${session.id}`, await mechanic(t))).status).toBe(404);
  });
});

describe('the open session the return bar finds', () => {
  const openOf = async (as: TestUser) => {
    const reply = await get(t, '/api/sessions?status=active&limit=1', as);
    expect(reply.status).toBe(200);
    return reply.body.items as { id: string; status: string }[];
  };

  it('the customer’s pending, accepted and live session, and the mechanic’s accepted and live one; none once ended', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    expect(await openOf(c)).toEqual([]);
    const pending = await pendingSession(t, c);
    expect((await openOf(c)).map((s) => [s.id, s.status])).toEqual([[pending.id, 'pending']]);
    expect(await openOf(m)).toEqual([]);
    await post(t, `/api/sessions/${pending.id}/end`, c);
    expect(await openOf(c)).toEqual([]);

    const accepted = await acceptedSession(t, c, m);
    expect((await openOf(c)).map((s) => s.status)).toEqual(['accepted']);
    expect((await openOf(m)).map((s) => [s.id, s.status])).toEqual([[accepted.id, 'accepted']]);
    await post(t, `/api/sessions/${accepted.id}/join`, c);
    await post(t, `/api/sessions/${accepted.id}/join`, m);
    expect((await openOf(m)).map((s) => s.status)).toEqual(['live']);
    await post(t, `/api/sessions/${accepted.id}/end`, m);
    expect(await openOf(c)).toEqual([]);
    expect(await openOf(m)).toEqual([]);
  });

  it('another customer’s or mechanic’s open session is never listed', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    await acceptedSession(t, c, m);
    expect(await openOf(await customer(t))).toEqual([]);
    expect(await openOf(await mechanic(t))).toEqual([]);
  });
});
