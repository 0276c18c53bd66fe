import { eq, lt, sql } from 'drizzle-orm';
import { queryRows, runStatement, type Executor, type Statement } from '../db/client.js';
import { appSecrets, rateLimits, type Role } from '../db/schema.js';

/** SQL of the auth area that is ours rather than the auth library's: counters, secrets, re-checks. */

export type SignInRow = {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  banned: boolean;
  expires_at: Date | string;
};

const FIND_SIGN_IN: Statement = {
  name: 'find_sign_in',
  text: `SELECT u.id AS user_id, u.email, u.name, u.role, u.banned, s.expires_at
    FROM auth_sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token = $1`,
};

/**
 * A sign-in as it stands now, by its session token, in one named statement: the re-check of a
 * credential the auth library has already verified (session-cache.ts), not a first sign-in.
 */
export async function findSignIn(ex: Executor, token: string): Promise<SignInRow | undefined> {
  const [row] = await runStatement<SignInRow>(ex, FIND_SIGN_IN, [token]);
  return row;
}

export type RateDecision = { allowed: boolean; retryAfter: number | null };

/**
 * Counts one request against `key` in a fixed window of `windowSeconds` and says whether it is
 * within `max`. One upsert decides it atomically, so concurrent requests in any number of
 * processes cannot all slip through on a stale read.
 */
export async function consumeRateLimit(
  ex: Executor,
  key: string,
  windowSeconds: number,
  max: number,
  now: Date,
): Promise<RateDecision> {
  const at = now.toISOString();
  const [row] = await queryRows<{ count: number; window_started_at: string | Date }>(
    ex,
    sql`INSERT INTO ${rateLimits} AS r (key, count, window_started_at) VALUES (${key}, 1, ${at}::timestamptz)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN r.window_started_at <= ${at}::timestamptz - make_interval(secs => ${windowSeconds})
                THEN 1 ELSE r.count + 1 END,
        window_started_at = CASE WHEN r.window_started_at <= ${at}::timestamptz - make_interval(secs => ${windowSeconds})
                THEN ${at}::timestamptz ELSE r.window_started_at END
      RETURNING count, window_started_at`,
  );
  const count = Number(row!.count);
  if (count <= max) return { allowed: true, retryAfter: null };
  const resetsAt = new Date(row!.window_started_at).getTime() + windowSeconds * 1000;
  return { allowed: false, retryAfter: Math.max(1, Math.ceil((resetsAt - now.getTime()) / 1000)) };
}

/** Counters whose window ended long ago (the sweeper's housekeeping). */
export async function deleteStaleRateLimits(ex: Executor, before: Date): Promise<void> {
  await ex.delete(rateLimits).where(lt(rateLimits.windowStartedAt, before));
}

/** The stored secret `name`, storing `candidate` first if there is none: every process gets the same. */
export async function sharedSecret(ex: Executor, name: string, candidate: string): Promise<string> {
  await ex.insert(appSecrets).values({ name, value: candidate }).onConflictDoNothing();
  const [row] = await ex.select({ value: appSecrets.value }).from(appSecrets).where(eq(appSecrets.name, name));
  return row!.value;
}
