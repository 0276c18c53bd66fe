import { describe, expect, it } from 'vitest';
import { createSessionCache, credentialKey } from './session-cache.js';

const actor = (id: string) => ({ id, email: `${id}@x.test`, name: id, role: 'customer' as const });

describe('session cache', () => {
  it('returns entries until they expire', () => {
    const cache = createSessionCache({ ttlMs: 1000, maxEntries: 10 });
    cache.set('Bearer a', actor('u1'), 0);
    expect(cache.get('Bearer a', 999)?.id).toBe('u1');
    expect(cache.get('Bearer a', 1000)).toBeUndefined();
  });
  it('never outlives the session it caches', () => {
    const cache = createSessionCache({ ttlMs: 30_000, maxEntries: 10 });
    cache.set('Bearer a', actor('u1'), 0, 500);
    expect(cache.get('Bearer a', 499)?.id).toBe('u1');
    expect(cache.get('Bearer a', 500)).toBeUndefined();
  });

  it('evicts every entry of a user', () => {
    const cache = createSessionCache({ ttlMs: 1000, maxEntries: 10 });
    cache.set('Bearer a', actor('u1'), 0);
    cache.set('Bearer b', actor('u1'), 0);
    cache.set('Bearer c', actor('u2'), 0);
    cache.evictUser('u1');
    expect([cache.get('Bearer a', 1), cache.get('Bearer b', 1), cache.get('Bearer c', 1)?.id]).toEqual([
      undefined,
      undefined,
      'u2',
    ]);
  });
  it('stays bounded, dropping the oldest', () => {
    const cache = createSessionCache({ ttlMs: 1000, maxEntries: 2 });
    cache.set('1', actor('a'), 0);
    cache.set('2', actor('b'), 0);
    cache.set('3', actor('c'), 0);
    expect(cache.size()).toBe(2);
    expect(cache.get('1', 1)).toBeUndefined();
  });
  it('keys on the bearer token or the session cookie, nothing else', () => {
    expect(credentialKey({ authorization: 'Bearer xyz' })).toBe('Bearer xyz');
    expect(credentialKey({ cookie: 'theme=dark; better-auth.session_token=abc.def; other=1' })).toBe(
      'better-auth.session_token=abc.def',
    );
    expect(credentialKey({ cookie: 'theme=dark' })).toBeUndefined();
    expect(credentialKey({})).toBeUndefined();
  });
});
