import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, customer, mechanic, paidSessionBody, sessionBody, type TestUser } from '../factories/index.js';
import { liveSession } from '../factories/sessions.js';
import { call, get } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let c: TestUser;
let m: TestUser;
let boss: TestUser;
let live: { id: string };
beforeAll(async () => {
  t = await createTestApp();
  c = await customer(t);
  m = await mechanic(t);
  boss = await admin(t);
  live = await liveSession(t, c, m);
});
afterAll(() => t.close());

const json = { 'content-type': 'application/json' };

/** Every JSON-accepting endpoint, with a user allowed to call it. */
const endpoints = () =>
  [
    ['POST', '/api/sessions', c],
    ['POST', `/api/sessions/${live.id}/end`, c],
    ['POST', `/api/sessions/${live.id}/messages`, c],
    ['PUT', `/api/sessions/${live.id}/report`, m],
    ['POST', `/api/sessions/${live.id}/review`, c],
    ['POST', '/api/mechanics/apply', c],
    ['POST', '/api/mechanic/shift', m],
    ['POST', `/api/admin/mechanics/${m.id}/approve`, boss],
    ['POST', `/api/admin/sessions/${live.id}/force-end`, boss],
    ['POST', '/api/admin/workshops', boss],
  ] as const;

function expectProblem(reply: { status: number; body: any; headers: Record<string, unknown> }, status: number) {
  expect(reply.status).toBe(status);
  expect(String(reply.headers['content-type'])).toContain('application/problem+json');
  expect(JSON.stringify(reply.body)).not.toMatch(/at .*\.(ts|js):\d+|SELECT|INSERT|UPDATE /);
}

describe('bad input gets a 4xx problem, never a 5xx', () => {
  it('malformed JSON', async () => {
    for (const [method, url, as] of endpoints()) {
      const reply = await call(t, method, url, { as, headers: json, rawBody: '{"plan": "quick",' });
      expectProblem(reply, 400);
    }
  });

  it('wrong types and unknown fields', async () => {
    for (const [method, url, as] of endpoints()) {
      const reply = await call(t, method, url, { as, body: { rating: 'five', onShift: 'yes', reason: 7, zzz: true } });
      expectProblem(reply, 400);
      expect(reply.body.code).toBe('VALIDATION_FAILED');
    }
    const unknown = await call(t, 'POST', '/api/sessions', { as: c, body: { ...sessionBody(), role: 'admin' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.some((e: { message: string }) => /role|unrecognized/i.test(e.message))).toBe(true);
  });

  it('missing fields name the field', async () => {
    const reply = await call(t, 'POST', '/api/sessions', { as: await customer(t), body: { plan: 'quick' } });
    expect(reply.status).toBe(400);
    expect(reply.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['body.vehicle', 'body.concern']),
    );
  });

  it('bodies over 64 KiB are PAYLOAD_TOO_LARGE', async () => {
    const reply = await call(t, 'POST', '/api/sessions', {
      as: c,
      body: { ...sessionBody(), concern: 'x'.repeat(70 * 1024) },
    });
    expectProblem(reply, 413);
    expect(reply.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('huge strings inside the limit are VALIDATION_FAILED', async () => {
    const reply = await call(t, 'POST', `/api/sessions/${live.id}/messages`, {
      as: c,
      body: { body: 'x'.repeat(5000), clientId: crypto.randomUUID() },
    });
    expectProblem(reply, 400);
  });

  it('bad UUIDs in paths and bodies', async () => {
    for (const url of ['/api/sessions/not-a-uuid', "/api/sessions/1'%20OR%201=1--", '/api/attachments/123']) {
      expectProblem(await get(t, url, c), 400);
    }
    const reply = await call(t, 'POST', `/api/sessions/${live.id}/messages`, {
      as: c,
      body: { body: 'hi', clientId: 'nope' },
    });
    expectProblem(reply, 400);
  });

  it('a non-JSON content type is UNSUPPORTED_MEDIA_TYPE', async () => {
    const reply = await call(t, 'POST', '/api/sessions', {
      as: c,
      headers: { 'content-type': 'text/xml' },
      rawBody: '<x/>',
    });
    expectProblem(reply, 415);
  });

  it('bad query strings', async () => {
    expectProblem(await get(t, '/api/sessions?status=weird', c), 400);
    expectProblem(await get(t, '/api/sessions?limit=100000', c), 400);
    expectProblem(await get(t, `/api/sessions/${live.id}/messages?after=-1`, c), 400);
    for (const cursor of ['garbage', Buffer.from(`2026-01-01T00:00:00Z|${'-'.repeat(36)}`).toString('base64url')]) {
      const reply = await get(t, `/api/sessions?cursor=${cursor}`, c);
      expectProblem(reply, 400);
      expect(reply.body.errors).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
    }
  });

  it('SQL and HTML in strings are data', async () => {
    const sneaky = await customer(t);
    const concern = `'); DROP TABLE sessions; -- <script>alert(1)</script>`;
    const reply = await call(t, 'POST', '/api/sessions', {
      as: sneaky,
      body: await paidSessionBody(t, sneaky, { concern }),
    });
    expect(reply.status).toBe(201);
    expect(reply.body.concern).toBe(concern);
    expect((await get(t, '/api/plans')).status).toBe(200);
  });

  it('anonymous requests are 401 whatever their body, before validation', async () => {
    for (const [method, url] of endpoints()) {
      if (url.startsWith('/api/admin/')) continue;
      const reply = await call(t, method, url, { headers: json, rawBody: '{"broken' });
      expectProblem(reply, 401);
    }
  });

  it('the server keeps serving after all of that', async () => {
    expect((await get(t, '/healthz')).status).toBe(200);
    expect((await get(t, `/api/sessions/${live.id}`, c)).status).toBe(200);
  });
});
