import type { Actor } from './auth.js';

/**
 * Resolved sign-ins, kept for a short time so that a hot request path does not ask the auth
 * library (two queries and an HMAC) on every call. Entries are evicted by user id when a session
 * is revoked or a role changes — announced on the notice bus, in every process.
 *
 * An entry is fresh for the TTL, then stale for a grace as long again: a stale entry still answers
 * (`get` says it is stale) while the caller asks the library again in the background, so an active
 * user's request never waits for that question (docs/performance.md: those lookups, all at once,
 * were the realtime tail). Evictions drop stale entries as they drop fresh ones; an entry never
 * outlives the session's own expiry.
 *
 * A lookup that was already in flight when its user was evicted may come back with the sign-in it
 * read just before the revocation; caching that would undo the eviction for the whole TTL. So a
 * lookup takes a `mark()` first, and `set` refuses results older than the user's last eviction.
 */
export type SessionCache = {
  /** Taken before a lookup; `set` with it is ignored if the user was evicted since. */
  mark: () => number;
  get: (key: string, now: number) => { actor: Actor; stale: boolean } | undefined;
  /** Fresh for the TTL, usable for as long again, never past `notAfter` (the session's own expiry). */
  set: (key: string, actor: Actor, now: number, notAfter: number, since: number) => void;
  /** The library no longer knows this credential (signed out, expired, banned). */
  drop: (key: string) => void;
  evictUser: (userId: string) => void;
  /** Forgets everything (after the bus was down: evictions may have been missed). */
  clear: () => void;
  size: () => number;
};

const EVICTIONS_KEPT = 10_000;

export function createSessionCache(options: { ttlMs: number; maxEntries: number }): SessionCache {
  const entries = new Map<string, { actor: Actor; freshUntil: number; expiresAt: number }>();
  let epoch = 0;
  let clearedAt = 0;
  /** The epoch of each user's latest eviction (bounded: an old eviction no lookup predates). */
  const evictedAt = new Map<string, number>();
  return {
    mark: () => epoch,
    get(key, now) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now) {
        entries.delete(key);
        return undefined;
      }
      return { actor: entry.actor, stale: entry.freshUntil <= now };
    },
    set(key, actor, now, notAfter, since) {
      if (since < clearedAt || since < (evictedAt.get(actor.id) ?? 0)) return;
      entries.delete(key); // re-inserted last: the bound drops the least recently confirmed first
      if (entries.size >= options.maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, {
        actor,
        freshUntil: Math.min(now + options.ttlMs, notAfter),
        expiresAt: Math.min(now + 2 * options.ttlMs, notAfter),
      });
    },
    drop(key) {
      entries.delete(key);
    },
    evictUser(userId) {
      epoch++;
      evictedAt.delete(userId);
      evictedAt.set(userId, epoch);
      if (evictedAt.size > EVICTIONS_KEPT) {
        // The oldest eviction is older than any lookup still in flight: forgetting it is safe,
        // and `clearedAt` keeps the guarantee for anything older still.
        const [oldestUser, oldestEpoch] = evictedAt.entries().next().value!;
        evictedAt.delete(oldestUser);
        clearedAt = Math.max(clearedAt, oldestEpoch);
      }
      for (const [key, entry] of entries) if (entry.actor.id === userId) entries.delete(key);
    },
    clear() {
      epoch++;
      clearedAt = epoch;
      evictedAt.clear();
      entries.clear();
    },
    size: () => entries.size,
  };
}

/** How a request proves who it is: exactly one credential, and which kind. */
export type Credential = { key: string; via: 'bearer' | 'cookie' };

/**
 * The credential a request carries: its bearer token when it sends one (then only that counts —
 * an invalid token is not rescued by a cookie), else its session cookie.
 */
export function credentialOf(headers: Record<string, string | string[] | undefined>): Credential | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && /^bearer /i.test(authorization)) {
    const token = authorization.slice(7).trim();
    return token ? { key: `Bearer ${token}`, via: 'bearer' } : undefined;
  }
  const cookie = headers.cookie;
  if (typeof cookie !== 'string') return undefined;
  const match = /(?:^|;\s*)((?:__Secure-)?better-auth\.session_token=[^;]+)/.exec(cookie);
  return match?.[1] ? { key: match[1], via: 'cookie' } : undefined;
}

/** The request headers that present exactly this credential to the auth library. */
export const credentialHeaders = (credential: Credential): Record<string, string> =>
  credential.via === 'bearer' ? { authorization: credential.key } : { cookie: credential.key };
