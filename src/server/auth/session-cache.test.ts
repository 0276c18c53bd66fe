import { describe, expect, it } from 'vitest';
import { createSessionCache, credentialOf } from './session-cache.js';

const actor = (id: string) => ({ id, email: `${id}@x.test`, name: id, role: 'customer' as const });

describe('session cache', () => {
  it('returns entries fresh for the TTL, stale for as long again, then not at all', () => {
    const cache = createSessionCache({ ttlMs: 1000, maxEntries: 10 });
    cache.set('Bearer a', actor('u1'), 0, Infinity, cache.mark());
    expect(cache.get('Bearer a', 999)).toEqual({ actor: actor('u1'), stale: false });
    expect(cache.get('Bearer a', 1000)).toEqual({ actor: actor('u1'), stale: true });
    expect(cache.get('Bearer a', 1999)?.stale).toBe(true);
    expect(cache.get('Bearer a', 2000)).toBeUndefined();
    // Confirmed again: fresh from then on.
    cache.set('Bearer b', actor('u2'), 0, Infinity, cache.mark());
    cache.set('Bearer b', actor('u2'), 1500, Infinity, cache.mark());
    expect(cache.get('Bearer b', 2400)).toEqual({ actor: actor('u2'), stale: false });
  });
  it('drops a credential the library no longer knows', () => {
    const cache = createSessionCache({ ttlMs: 1000, maxEntries: 10 });
    cache.set('Bearer a', actor('u1'), 0, Infinity, cache.mark());
    cache.drop('Bearer a');
    expect(cache.get('Bearer a', 1)).toBeUndefined();
  });
  it('never outlives the session it caches', () => {
    const cache = createSessionCache({ ttlMs: 30_000, maxEntries: 10 });
    cache.set('Bearer a', actor('u1'), 0, 500, cache.mark());
    expect(cache.get('Bearer a', 499)?.actor.id).toBe('u1');
    expect(cache.get('Bearer a', 500)).toBeUndefined(); // not even stale
  });
  it('evicts every entry of a user', () => {
    const cache = createSessionCache({ ttlMs: 1000, maxEntries: 10 });
    for (const [key, id] of [
      ['Bearer a', 'u1'],
      ['Bearer b', 'u1'],
      ['Bearer c', 'u2'],
    ] as const) {
      cache.set(key, actor(id), 0, Infinity, cache.mark());
    }
    cache.evictUser('u1');
    expect([cache.get('Bearer a', 1), cache.get('Bearer b', 1), cache.get('Bearer c', 1)?.actor.id]).toEqual([
      undefined,
      undefined,
      'u2',
    ]);
  });
  it('a lookup in flight across an eviction of its user is not cached', () => {
    const cache = createSessionCache({ ttlMs: 1000, maxEntries: 10 });
    const before = cache.mark();
    cache.evictUser('u1'); // the session was revoked while the lookup ran
    cache.set('Bearer a', actor('u1'), 0, Infinity, before);
    expect(cache.get('Bearer a', 1)).toBeUndefined();
    cache.set('Bearer b', actor('u2'), 0, Infinity, before); // other users are unaffected
    expect(cache.get('Bearer b', 1)?.actor.id).toBe('u2');
    cache.set('Bearer a', actor('u1'), 0, Infinity, cache.mark()); // a lookup after it is
    expect(cache.get('Bearer a', 1)?.actor.id).toBe('u1');
  });
  it('clear forgets everything, including lookups in flight', () => {
    const cache = createSessionCache({ ttlMs: 1000, maxEntries: 10 });
    const before = cache.mark();
    cache.set('Bearer a', actor('u1'), 0, Infinity, before);
    cache.clear();
    cache.set('Bearer b', actor('u2'), 0, Infinity, before);
    expect(cache.size()).toBe(0);
  });
  it('stays bounded, dropping the oldest', () => {
    const cache = createSessionCache({ ttlMs: 1000, maxEntries: 2 });
    for (const key of ['1', '2', '3']) cache.set(key, actor(key), 0, Infinity, cache.mark());
    expect(cache.size()).toBe(2);
    expect(cache.get('1', 1)).toBeUndefined();
  });
  it('takes the bearer token when there is one, else the session cookie', () => {
    expect(credentialOf({ authorization: 'Bearer xyz', cookie: 'better-auth.session_token=abc' })).toEqual({
      key: 'Bearer xyz',
      via: 'bearer',
    });
    expect(credentialOf({ authorization: 'Basic dXNlcjpwYXNz', cookie: 'better-auth.session_token=abc.def' })).toEqual({
      key: 'better-auth.session_token=abc.def',
      via: 'cookie',
    });
    expect(credentialOf({ cookie: 'theme=dark' })).toBeUndefined();
    expect(credentialOf({})).toBeUndefined();
  });
});
