import net from 'node:net';
import { z } from 'zod';

/**
 * The process configuration, parsed once at start-up from the environment.
 * Nothing else in the server reads `process.env`: everything receives a `Config`.
 */
const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * TRUST_PROXY: how many proxies sit in front (a hop count), or their addresses and networks
 * (comma-separated, CIDR allowed). Only those proxies' X-Forwarded-For is believed.
 */
const TrustProxy = z
  .string()
  .trim()
  .transform((text, ctx): number | string[] => {
    if (/^\d+$/.test(text)) {
      const hops = Number(text);
      if (hops >= 1 && hops <= 10) return hops;
    }
    const entries = text.split(',').map((entry) => entry.trim());
    const valid = entries.every((entry) => {
      const [address, bits, extra] = entry.split('/');
      if (extra !== undefined || !address || net.isIP(address) === 0) return false;
      if (bits === undefined) return true;
      const max = net.isIP(address) === 4 ? 32 : 128;
      return /^\d+$/.test(bits) && Number(bits) <= max;
    });
    if (!valid) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a hop count (1–10) or a comma-separated list of proxy addresses or CIDR networks',
      });
      return z.NEVER;
    }
    return entries;
  });

const IceServers = z.array(
  z.object({
    urls: z.union([z.string(), z.array(z.string())]),
    username: z.string().optional(),
    credential: z.string().optional(),
  }),
);

const Environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PUBLIC_URL: z.string().url().optional(),
  SEED_DEMO: booleanFlag.optional(),
  OFFER_WINDOW_SECONDS: seconds(900),
  URGENT_OFFER_WINDOW_SECONDS: seconds(300),
  JOIN_WINDOW_SECONDS: seconds(600),
  ABANDON_WINDOW_SECONDS: seconds(300),
  EXCLUSIVE_WINDOW_SECONDS: seconds(120),
  LIVE_GRACE_SECONDS: z.coerce.number().int().min(0).default(120),
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).default(5000),
  ICE_SERVERS: z
    .string()
    .default('[]')
    .transform((text, ctx) => {
      try {
        return IceServers.parse(JSON.parse(text));
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a JSON list of { urls, username?, credential? }',
        });
        return z.NEVER;
      }
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` on a terminal, `json` otherwise, unless set. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  TRUST_PROXY: TrustProxy.optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  PAYMENT_PROVIDER: z.enum(['local', 'stripe']).optional(),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'must be a Stripe secret key (sk_test_… or sk_live_…)')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_\w+$/, 'must be a Stripe webhook signing secret (whsec_…)')
    .optional(),
  STRIPE_PUBLISHABLE_KEY: z
    .string()
    .regex(/^pk_(test|live)_\w+$/, 'must be a Stripe publishable key (pk_…)')
    .optional(),
  PLATFORM_FEE_PERCENT: z.coerce.number().int().min(0).max(100).default(30),
  NO_SHOW_FEE_PERCENT: z.coerce.number().int().min(0).max(100).default(50),
  /** Email goes out over SMTP when set (smtp://user:pass@host:587, smtps://…); otherwise it stays in the outbox. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** The sender of every email, e.g. `AutoDoctor <help@example.com>`; required with SMTP_URL. */
  EMAIL_FROM: z.string().min(3).optional(),
  /** Integrators' webhook URLs may point at private, loopback or link-local addresses (tests, on-premises). */
  WEBHOOKS_ALLOW_PRIVATE: booleanFlag.optional(),
  /** A request (headers and body) must have arrived within this time. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(120_000),
});

export type Windows = {
  offerSeconds: number;
  urgentOfferSeconds: number;
  joinSeconds: number;
  abandonSeconds: number;
  exclusiveSeconds: number;
  liveGraceSeconds: number;
};

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  authSecret: string | undefined;
  publicUrl: string;
  seedDemo: boolean;
  windows: Windows;
  sweepIntervalMs: number;
  iceServers: z.infer<typeof IceServers>;
  logLevel: z.infer<typeof Environment>['LOG_LEVEL'];
  /** Null: decided by whether standard output is a terminal. */
  logFormat: 'json' | 'pretty' | null;
  webConcurrency: number;
  /** Proxies whose X-Forwarded-For is believed: a hop count or addresses; undefined trusts none. */
  trustProxy: number | string[] | undefined;
  metricsToken: string | undefined;
  requestTimeoutMs: number;
  payments: PaymentsConfig;
  notifications: NotificationsConfig;
};

export type NotificationsConfig = {
  /** Null: no SMTP server; email is kept in the outbox for admins to read. */
  smtpUrl: string | null;
  emailFrom: string;
  allowPrivateWebhooks: boolean;
};

export type PaymentsConfig = {
  provider: 'local' | 'stripe';
  stripe: { secretKey: string; webhookSecret: string; publishableKey: string | null } | null;
  /** The platform's share of every capture; the mechanic is credited the rest. */
  platformFeePercent: number;
  /** Of the plan price, captured when the customer did not show (0: none). */
  noShowFeePercent: number;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, the way shells and .env files mean them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = Environment.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.AUTH_SECRET) {
    throw new ConfigError('Invalid configuration:\n  AUTH_SECRET: required in production (32+ characters)');
  }
  if (e.WEB_CONCURRENCY > 1 && !e.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  WEB_CONCURRENCY: more than one process needs DATABASE_URL (PGlite is single-process)',
    );
  }
  const provider = e.PAYMENT_PROVIDER ?? (e.STRIPE_SECRET_KEY ? 'stripe' : 'local');
  if (provider === 'stripe' && (!e.STRIPE_SECRET_KEY || !e.STRIPE_WEBHOOK_SECRET)) {
    throw new ConfigError(
      'Invalid configuration:\n  PAYMENT_PROVIDER: stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (and STRIPE_PUBLISHABLE_KEY for the browser)',
    );
  }
  if (e.SMTP_URL && !e.EMAIL_FROM) {
    throw new ConfigError(
      'Invalid configuration:\n  EMAIL_FROM: required with SMTP_URL (e.g. "AutoDoctor <help@example.com>")',
    );
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    authSecret: e.AUTH_SECRET,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    seedDemo: e.SEED_DEMO ?? !e.DATABASE_URL,
    windows: {
      offerSeconds: e.OFFER_WINDOW_SECONDS,
      urgentOfferSeconds: e.URGENT_OFFER_WINDOW_SECONDS,
      joinSeconds: e.JOIN_WINDOW_SECONDS,
      abandonSeconds: e.ABANDON_WINDOW_SECONDS,
      exclusiveSeconds: e.EXCLUSIVE_WINDOW_SECONDS,
      liveGraceSeconds: e.LIVE_GRACE_SECONDS,
    },
    sweepIntervalMs: e.SWEEP_INTERVAL_MS,
    iceServers: e.ICE_SERVERS,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? null,
    webConcurrency: e.WEB_CONCURRENCY,
    trustProxy: e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    payments: {
      provider,
      stripe:
        provider === 'stripe'
          ? {
              secretKey: e.STRIPE_SECRET_KEY!,
              webhookSecret: e.STRIPE_WEBHOOK_SECRET!,
              publishableKey: e.STRIPE_PUBLISHABLE_KEY ?? null,
            }
          : null,
      platformFeePercent: e.PLATFORM_FEE_PERCENT,
      noShowFeePercent: e.NO_SHOW_FEE_PERCENT,
    },
    notifications: {
      smtpUrl: e.SMTP_URL ?? null,
      emailFrom: e.EMAIL_FROM ?? 'AutoDoctor <no-reply@autodoctor.localhost>',
      allowPrivateWebhooks: e.WEBHOOKS_ALLOW_PRIVATE ?? false,
    },
  };
}
