import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { betterAuth } from 'better-auth';
import type { BetterAuthRateLimitStorage } from '@better-auth/core';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { bearer } from 'better-auth/plugins';
import type { Db } from '../db/client.js';
import { authAccounts, authSessions, authVerifications, users, type Role } from '../db/schema.js';
import { sharedSecret } from './auth.repository.js';

export type AuthOptions = {
  db: Db;
  secret: string;
  publicUrl: string;
  /** Origins allowed to send cookie-authenticated writes (the public URL, the Vite dev server). */
  trustedOrigins: string[];
  /** Sign-in attempts allowed per window per client address. */
  signInRateLimit: { windowSeconds: number; max: number };
  secureCookies: boolean;
  /** Where request counters live; in the database they are shared by every process. */
  rateLimitStorage?: BetterAuthRateLimitStorage;
  /**
   * Called after the library has deleted one of the user's sessions — sign-out, any revocation,
   * a password change or reset — so cached sign-ins and open sockets of it are dropped.
   */
  onSessionRevoked?: (userId: string) => void;
  /** Sends the library's own emails (address verification, password reset) with their link. */
  sendAccountEmail?: (
    kind: 'email_verification' | 'password_reset',
    user: { id: string; email: string },
    url: string,
  ) => Promise<void>;
};

export function createAuth(options: AuthOptions) {
  return betterAuth({
    appName: 'AutoDoctor',
    baseURL: options.publicUrl,
    basePath: '/api/auth',
    secret: options.secret,
    trustedOrigins: options.trustedOrigins,
    telemetry: { enabled: false },
    logger: { level: 'error' },
    database: drizzleAdapter(options.db, {
      provider: 'pg',
      schema: {
        users,
        auth_sessions: authSessions,
        auth_accounts: authAccounts,
        auth_verifications: authVerifications,
      },
    }),
    user: {
      modelName: 'users',
      additionalFields: {
        // `input: false`: no request can set its own role; only the server (apply, CLI, seed) does.
        role: {
          type: 'string',
          required: false,
          defaultValue: 'customer',
          input: false,
        },
        banned: {
          type: 'boolean',
          required: false,
          defaultValue: false,
          input: false,
        },
      },
    },
    session: {
      modelName: 'auth_sessions',
      expiresIn: SESSION_EXPIRES_IN_SECONDS,
      updateAge: SESSION_UPDATE_AGE_SECONDS,
    },
    account: { modelName: 'auth_accounts' },
    verification: { modelName: 'auth_verifications' },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      autoSignIn: true,
      // "Forgot your password?": the link leads to the web app's reset page; a reset signs out everywhere.
      sendResetPassword: async ({ user, url }) => {
        await options.sendAccountEmail?.('password_reset', user, url);
      },
      resetPasswordTokenExpiresIn: 60 * 60,
      revokeSessionsOnPasswordReset: true,
    },
    emailVerification: {
      sendOnSignUp: Boolean(options.sendAccountEmail),
      autoSignInAfterVerification: true,
      sendVerificationEmail: async ({ user, url }) => {
        await options.sendAccountEmail?.('email_verification', user, url);
      },
    },
    databaseHooks: {
      session: {
        delete: {
          after: async (session) => {
            options.onSessionRevoked?.(session.userId);
          },
        },
      },
    },
    rateLimit: {
      enabled: true,
      ...(options.rateLimitStorage ? { customStorage: options.rateLimitStorage } : {}),
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': {
          window: options.signInRateLimit.windowSeconds,
          max: options.signInRateLimit.max,
        },
        '/sign-up/email': { window: 60, max: 20 },
      },
    },
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      database: { generateId: () => crypto.randomUUID() },
      useSecureCookies: options.secureCookies,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
    },
    plugins: [bearer()],
  });
}

/** A sign-in lasts a week from its last extension; the library extends it when used a day or more after that. */
export const SESSION_EXPIRES_IN_SECONDS = 7 * 24 * 60 * 60;
export const SESSION_UPDATE_AGE_SECONDS = 24 * 60 * 60;

/** Set by the server from the socket address; a client's own value is overwritten. */
export const CLIENT_IP_HEADER = 'x-autodoctor-client-ip';

export type Auth = ReturnType<typeof createAuth>;

/** The signed-in person as the rest of the server sees them. */
export type Actor = { id: string; email: string; name: string; role: Role };

/**
 * `AUTH_SECRET` when set. Otherwise a secret generated once and kept in the database, so that every
 * process sharing it signs and accepts the same cookies (each with its own DATA_DIR used to
 * generate its own, and rejected the others' cookies without a word). A secret an older version
 * kept in `DATA_DIR/auth-secret` is adopted as the stored one. Production refuses to start
 * without AUTH_SECRET (config).
 */
export async function resolveAuthSecret(db: Db, configured: string | undefined, dataDir: string): Promise<string> {
  if (configured) return configured;
  let candidate: string;
  try {
    candidate = fs.readFileSync(path.resolve(dataDir, 'auth-secret'), 'utf8').trim();
  } catch {
    candidate = crypto.randomBytes(32).toString('base64url');
  }
  return sharedSecret(
    db,
    'auth_secret',
    candidate.length >= 32 ? candidate : crypto.randomBytes(32).toString('base64url'),
  );
}
