import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { bearer } from 'better-auth/plugins';
import type { Db } from '../db/client.js';
import { authAccounts, authSessions, authVerifications, users, type Role } from '../db/schema.js';

export type AuthOptions = {
  db: Db;
  secret: string;
  publicUrl: string;
  /** Origins allowed to send cookie-authenticated writes (the public URL, the Vite dev server). */
  trustedOrigins: string[];
  /** Sign-in attempts allowed per window per client address. */
  signInRateLimit: { windowSeconds: number; max: number };
  secureCookies: boolean;
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
    session: { modelName: 'auth_sessions' },
    account: { modelName: 'auth_accounts' },
    verification: { modelName: 'auth_verifications' },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      autoSignIn: true,
    },
    rateLimit: {
      enabled: true,
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

/** Set by the server from the socket address; a client's own value is overwritten. */
export const CLIENT_IP_HEADER = 'x-autodoctor-client-ip';

export type Auth = ReturnType<typeof createAuth>;

/** The signed-in person as the rest of the server sees them. */
export type Actor = { id: string; email: string; name: string; role: Role };

/**
 * `AUTH_SECRET` when set; otherwise a secret generated once into `DATA_DIR` so that sessions
 * survive restarts on a developer's machine. Production refuses to start without one (config).
 */
export function resolveAuthSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.resolve(dataDir, 'auth-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = crypto.randomBytes(32).toString('base64url');
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}
