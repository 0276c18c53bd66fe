import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Auth } from './auth.js';
import type { SignInRow } from './auth.repository.js';
import { createAuthenticator } from './routes.js';
import { createSessionCache } from './session-cache.js';

/**
 * The authenticator's use of the cache, against a stand-in for the auth library's getSession
 * (whose answers and timing the test controls): an active user's request never waits for a
 * re-check, and what the re-check finds applies to the next request.
 */
function setUp(findSignIn?: Parameters<typeof createAuthenticator>[4]) {
  let now = Date.UTC(2029, 11, 20);
  const answers: (() => Promise<unknown>)[] = [];
  let asked = 0;
  const auth = {
    api: {
      getSession: () => {
        asked++;
        const next = answers.shift();
        if (!next) throw new Error('getSession asked more often than the test expected');
        return next();
      },
    },
  } as unknown as Auth;
  const cache = createSessionCache({ ttlMs: 30_000, maxEntries: 100 });
  const authenticator = createAuthenticator(auth, [], cache, () => now, findSignIn);
  const request = () => ({ method: 'GET', headers: { authorization: 'Bearer t0k3n' } }) as unknown as FastifyRequest;
  const signedIn = (name: string) => async () => ({
    user: { id: 'u1', email: 'u1@x.test', name, role: 'customer', banned: false },
    session: { expiresAt: new Date(Date.UTC(2030, 0, 1)).toISOString() },
  });
  return {
    authenticator,
    request,
    signedIn,
    answers,
    asked: () => asked,
    advance: (ms: number) => (now += ms),
    now: () => now,
  };
}

describe('authenticator and its cache', () => {
  it('asks once, then answers from the cache while fresh', async () => {
    const t = setUp();
    t.answers.push(t.signedIn('Ann'));
    expect((await t.authenticator.currentActor(t.request()))?.name).toBe('Ann');
    t.advance(29_000);
    expect((await t.authenticator.currentActor(t.request()))?.name).toBe('Ann');
    expect(t.asked()).toBe(1);
  });

  it('a stale entry answers at once and is confirmed in the background', async () => {
    const t = setUp();
    t.answers.push(t.signedIn('Ann'));
    await t.authenticator.currentActor(t.request());
    t.advance(31_000);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    t.answers.push(async () => (await held, t.signedIn('Ann Renamed')()));
    // The library has not answered yet: the request does not wait for it.
    expect((await t.authenticator.currentActor(t.request()))?.name).toBe('Ann');
    // A second request meanwhile shares the one question in flight.
    expect((await t.authenticator.currentActor(t.request()))?.name).toBe('Ann');
    expect(t.asked()).toBe(2);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect((await t.authenticator.currentActor(t.request()))?.name).toBe('Ann Renamed');
    expect(t.asked()).toBe(2);
  });

  it('a credential the library no longer knows is refused from the next request on', async () => {
    const t = setUp();
    t.answers.push(t.signedIn('Ann'));
    await t.authenticator.currentActor(t.request());
    t.advance(31_000);
    t.answers.push(async () => null); // signed out where no notice reached us
    expect(await t.authenticator.currentActor(t.request())).not.toBeNull();
    await new Promise((r) => setTimeout(r, 0));
    t.answers.push(async () => null);
    expect(await t.authenticator.currentActor(t.request())).toBeNull();
  });

  it('past the grace, a request waits for the library again', async () => {
    const t = setUp();
    t.answers.push(t.signedIn('Ann'));
    await t.authenticator.currentActor(t.request());
    t.advance(61_000);
    t.answers.push(async () => null);
    expect(await t.authenticator.currentActor(t.request())).toBeNull();
    expect(t.asked()).toBe(2);
  });

  describe('re-checked with one statement once the library has verified the credential', () => {
    const row = (over: Partial<SignInRow> = {}): SignInRow => ({
      user_id: 'u1',
      email: 'u1@x.test',
      name: 'Ann',
      role: 'customer',
      banned: false,
      expires_at: new Date(Date.UTC(2030, 0, 1)),
      ...over,
    });

    it('asks the statement, with the bare session token, not the library', async () => {
      const tokens: string[] = [];
      let answer: SignInRow | undefined = row({ name: 'Ann Renamed', role: 'mechanic' });
      const t = setUp(async (token) => (tokens.push(token), answer));
      t.answers.push(t.signedIn('Ann'));
      await t.authenticator.currentActor(t.request());
      t.advance(31_000);
      await t.authenticator.currentActor(t.request());
      await new Promise((r) => setTimeout(r, 0));
      expect(await t.authenticator.currentActor(t.request())).toMatchObject({ name: 'Ann Renamed', role: 'mechanic' });
      expect(tokens).toEqual(['t0k3n']);
      expect(t.asked()).toBe(1);
      // Banned, or the session row gone: refused from the next request on.
      answer = row({ banned: true });
      t.advance(31_000);
      await t.authenticator.currentActor(t.request());
      await new Promise((r) => setTimeout(r, 0));
      t.answers.push(async () => null); // no longer cached: the library is asked, and refuses it
      expect(await t.authenticator.currentActor(t.request())).toBeNull();
    });

    it('leaves a sign-in due for extension to the library, which extends it', async () => {
      const t = setUp(async () => row({ expires_at: new Date(t.now() + 5 * 24 * 3600 * 1000) }));
      t.answers.push(t.signedIn('Ann'));
      await t.authenticator.currentActor(t.request());
      t.advance(31_000);
      t.answers.push(t.signedIn('Ann'));
      await t.authenticator.currentActor(t.request());
      await new Promise((r) => setTimeout(r, 0));
      expect(t.asked()).toBe(2);
    });
  });
});
