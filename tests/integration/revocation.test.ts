import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAuthSecret } from '../../src/server/auth/auth.js';
import { findSignIn } from '../../src/server/auth/auth.repository.js';
import { rateLimits } from '../../src/server/db/schema.js';
import { customer, signUp, type TestUser } from '../factories/index.js';
import { call, get, post } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { connect } from '../helpers/ws-client.js';

const PASSWORD = 'correct-horse-battery';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ realClock: true });
});
afterAll(() => t.close());

/** Signs in over HTTP as a non-browser client would, and returns its bearer credential. */
async function signIn(user: TestUser): Promise<TestUser> {
  const reply = await call(t, 'POST', '/api/auth/sign-in/email', { body: { email: user.email, password: PASSWORD } });
  expect(reply.status).toBe(200);
  return { ...user, token: reply.body.token, headers: { authorization: `Bearer ${reply.body.token}` } };
}

describe('a revoked session stops working at once, even though sign-ins are cached', () => {
  it.each([
    ['revoke-session', (other: TestUser) => ({ token: other.token })],
    ['revoke-sessions', () => ({})],
    ['revoke-other-sessions', () => ({})],
    [
      'change-password',
      () => ({ currentPassword: PASSWORD, newPassword: 'a-new-long-passphrase', revokeOtherSessions: true }),
    ],
  ] as const)('%s', async (path, body) => {
    const user = await signUp(t, 'revoker');
    const [first, second] = [await signIn(user), await signIn(user)];
    expect((await get(t, '/api/me', second)).status).toBe(200); // now cached
    const reply = await call(t, 'POST', `/api/auth/${path}`, { as: first, body: body(second) });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect((await get(t, '/api/me', second)).status).toBe(401);
  });

  it('requests in flight during a sign-out cannot put the session back in the cache (10 trials)', async () => {
    for (let trial = 0; trial < 10; trial++) {
      const user = await signIn(await signUp(t, 'racer'));
      const racing = Array.from({ length: 20 }, () => get(t, '/api/me', user));
      const out = call(t, 'POST', '/api/auth/sign-out', { as: user, body: {} });
      await Promise.all([...racing, out]);
      expect((await out).status).toBe(200);
      expect((await get(t, '/api/me', user)).status, `trial ${trial}`).toBe(401);
    }
  });

  it('sockets of a signed-out session are closed, and other sessions’ sockets stay', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const user = await signUp(t, 'socket');
    const [leaving, staying] = [await signIn(user), await signIn(user)];
    const doomed = await connect(base, leaving.headers);
    const kept = await connect(base, staying.headers);
    for (const socket of [doomed, kept]) {
      socket.send({ type: 'subscribe', topic: 'user' });
      await socket.next((f) => f.type === 'subscribed');
    }
    await post(t, '/api/auth/sign-out', leaving);
    expect((await doomed.closed).code).toBe(4401);
    kept.send({ type: 'ping' });
    await kept.next((f) => f.type === 'pong');
    await kept.close();
  });
});

describe('the one-statement re-check of a sign-in (auth.repository.ts findSignIn)', () => {
  it('reads the sign-in behind a session token as it stands, and nothing for an unknown one', async () => {
    const user = await signIn(await customer(t));
    const row = await findSignIn(t.database.db, user.token);
    expect(row).toMatchObject({ user_id: user.id, email: user.email, role: 'customer', banned: false });
    expect(new Date(row!.expires_at).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    await post(t, '/api/auth/sign-out', user);
    expect(await findSignIn(t.database.db, user.token)).toBeUndefined();
  });
});

describe('the session token stays in its HttpOnly cookie for browsers', () => {
  it('sign-in and get-session from a browser carry no token; a non-browser client gets one', async () => {
    const user = await signUp(t, 'browser');
    const browser = { origin: t.config.publicUrl, 'sec-fetch-mode': 'cors' };
    const signedIn = await call(t, 'POST', '/api/auth/sign-in/email', {
      headers: browser,
      body: { email: user.email, password: PASSWORD },
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.token).toBeUndefined();
    expect(signedIn.headers['set-auth-token']).toBeUndefined();
    const cookie = String(signedIn.headers['set-cookie']).split(';')[0]!;
    const session = await call(t, 'GET', '/api/auth/get-session', { headers: { ...browser, cookie } });
    expect(session.body.user.email).toBe(user.email);
    expect(session.body.session.token).toBeUndefined();
    const client = await call(t, 'POST', '/api/auth/sign-in/email', {
      body: { email: user.email, password: PASSWORD },
    });
    expect(client.body.token).toEqual(expect.any(String));
  });
});

describe('the origin check', () => {
  it('is skipped only for a valid bearer token, not for any Authorization header', async () => {
    const reply = await call(t, 'POST', '/api/auth/sign-up/email', {
      body: { email: `basic-${crypto.randomUUID()}@example.test`, password: PASSWORD, name: 'Basic' },
    });
    const cookie = String(reply.headers['set-cookie']).split(';')[0]!;
    const foreign = { cookie, origin: 'https://evil.example', authorization: 'Basic dXNlcjpwYXNz' };
    const refused = await call(t, 'POST', '/api/mechanic/shift', { headers: foreign, body: { onShift: true } });
    expect(refused.status).toBe(403);
    const bearer = await signIn(await customer(t));
    const allowed = await call(t, 'POST', '/api/sessions', {
      headers: { ...bearer.headers, origin: 'https://elsewhere.example' },
      body: { plan: 'nope' },
    });
    expect(allowed.status).toBe(400); // past the origin check, refused by validation
  });

  it('trusts the Vite dev server’s origin only in development', async () => {
    const reply = await call(t, 'POST', '/api/auth/sign-up/email', {
      body: { email: `vite-${crypto.randomUUID()}@example.test`, password: PASSWORD, name: 'Vite' },
    });
    const cookie = String(reply.headers['set-cookie']).split(';')[0]!;
    const fromVite = await call(t, 'POST', '/api/mechanic/shift', {
      headers: { cookie, origin: 'http://localhost:5173' },
      body: { onShift: true },
    });
    expect(fromVite.status).toBe(403); // NODE_ENV=test here
    const dev = await createTestApp({ env: { NODE_ENV: 'development' } });
    try {
      const devReply = await call(dev, 'POST', '/api/auth/sign-up/email', {
        headers: { origin: 'http://localhost:5173' },
        body: { email: `dev-${crypto.randomUUID()}@example.test`, password: PASSWORD, name: 'Dev' },
      });
      expect(devReply.status).toBe(200);
    } finally {
      await dev.close();
    }
  });
});

describe('names, emails and passwords have limits', () => {
  it.each([
    ['a 60 KB name', { name: 'n'.repeat(60_000) }, 'body.name'],
    ['a blank name', { name: '   ' }, 'body.name'],
    ['an email of 300 characters', { email: `${'e'.repeat(290)}@example.test` }, 'body.email'],
    ['a password of eight spaces', { password: '        ' }, 'body.password'],
    ['one of the most common passwords', { password: 'Password123' }, 'body.password'],
    ['a password of 200 characters', { password: 'p'.repeat(200) }, 'body.password'],
  ])('sign-up refuses %s, naming the field', async (_case, change, field) => {
    const body = { email: `limits-${crypto.randomUUID()}@example.test`, password: PASSWORD, name: 'Limits', ...change };
    const reply = await call(t, 'POST', '/api/auth/sign-up/email', { body });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VALIDATION_FAILED');
    expect(reply.body.message).toEqual(expect.any(String)); // the auth library's own shape too
    expect(reply.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  });

  it('a new password on change is held to the same rules', async () => {
    const user = await signIn(await signUp(t, 'changer'));
    const reply = await call(t, 'POST', '/api/auth/change-password', {
      as: user,
      body: { currentPassword: PASSWORD, newPassword: 'iloveyou' },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].path).toBe('body.newPassword');
  });
});

describe('shared through the database, not kept per process', () => {
  it('the sign-in rate limit counts in the database: a second app on the same database sees the count', async () => {
    const user = await signUp(t, 'limited');
    const second = await createTestApp({
      database: { database: t.database, url: undefined, dispose: async () => {} },
      signInRateLimit: { windowSeconds: 60, max: 3 },
    });
    try {
      const first = await createTestApp({
        database: { database: t.database, url: undefined, dispose: async () => {} },
        signInRateLimit: { windowSeconds: 60, max: 3 },
      });
      const attempt = (app: TestApp) =>
        call(app, 'POST', '/api/auth/sign-in/email', {
          body: { email: user.email, password: 'wrong-password-here' },
          remoteAddress: '10.9.8.7',
        });
      const statuses = [await attempt(first), await attempt(second), await attempt(first), await attempt(second)].map(
        (r) => r.status,
      );
      await first.close();
      expect(statuses).toEqual([401, 401, 401, 429]);
      const rows = await t.database.db.select().from(rateLimits);
      expect(rows.some((r) => r.key.includes('10.9.8.7'))).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('the generated auth secret: processes with separate data directories agree on it', async () => {
    const [a, b] = [fs.mkdtempSync(path.join(os.tmpdir(), 'ad-a-')), fs.mkdtempSync(path.join(os.tmpdir(), 'ad-b-'))];
    try {
      const first = await resolveAuthSecret(t.database.db, undefined, a);
      const second = await resolveAuthSecret(t.database.db, undefined, b);
      expect(second).toBe(first);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(await resolveAuthSecret(t.database.db, 'x'.repeat(40), a)).toBe('x'.repeat(40));
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
      fs.rmSync(b, { recursive: true, force: true });
    }
  });
});
