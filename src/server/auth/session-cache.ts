import type { Actor } from './auth.js';

/**
 * Resolved sign-ins, kept for a short time so that a hot request path does not ask the auth
 * library (two queries and an HMAC) on every call. Entries are evicted by user id when a sign-out
 * or a role change is announced on the notice bus — in every process — so the cache never
 * outlives a revocation by more than the bus's delivery time.
 */
export type SessionCache = {
  get: (key: string, now: number) => Actor | undefined;
  /** Kept for the TTL, but never past `notAfter` (the session's own expiry). */
  set: (key: string, actor: Actor, now: number, notAfter?: number) => void;
  evictUser: (userId: string) => void;
  size: () => number;
};

export function createSessionCache(options: { ttlMs: number; maxEntries: number }): SessionCache {
  const entries = new Map<string, { actor: Actor; expiresAt: number }>();
  return {
    get(key, now) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now) {
        entries.delete(key);
        return undefined;
      }
      return entry.actor;
    },
    set(key, actor, now, notAfter = Infinity) {
      if (entries.size >= options.maxEntries) entries.delete(entries.keys().next().value!); // oldest first
      entries.set(key, { actor, expiresAt: Math.min(now + options.ttlMs, notAfter) });
    },
    evictUser(userId) {
      for (const [key, entry] of entries) if (entry.actor.id === userId) entries.delete(key);
    },
    size: () => entries.size,
  };
}

/** The credential a request carries: its bearer token, or its session cookie. */
export function credentialKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) return authorization;
  const cookie = headers.cookie;
  if (typeof cookie !== 'string') return undefined;
  const match = /(?:^|;\s*)((?:__Secure-)?better-auth\.session_token=[^;]+)/.exec(cookie);
  return match?.[1];
}
