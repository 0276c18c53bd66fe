import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { pino } from 'pino';
import { inject } from 'vitest';
import { buildApp, type AppOptions, type Built } from '../../src/server/app.js';
import { parseConfig, type Config, type Windows } from '../../src/server/config.js';
import { openDatabase, type Database } from '../../src/server/db/client.js';
import { JOB_HANDLERS } from '../../src/server/jobs/handlers.js';
import { startJobRunner, type JobRunner } from '../../src/server/jobs/runner.js';
import { withDatabase } from './global-setup.js';

/** A clock the test moves by hand. */
export class FakeClock {
  private current: number;
  constructor(start = Date.parse('2026-06-01T09:00:00.000Z')) {
    this.current = start;
  }
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current += ms;
  }
  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }
}

export type TestDatabase = { database: Database; url: string | undefined; dispose: () => Promise<void> };

/** A fresh database for one test file: a copy of the migrated template, dropped afterwards. */
export async function openTestDatabase(poolSize = 10): Promise<TestDatabase> {
  const template = inject('postgresTemplate');
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (template && baseUrl) {
    const name = `autodoctor_t_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const url = withDatabase(baseUrl, name);
    const database = await openDatabase({ databaseUrl: url, poolSize });
    return {
      database,
      url,
      dispose: async () => {
        await database.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const dump = fs.readFileSync(inject('pgliteTemplate'));
  const client = await PGlite.create({ loadDataDir: new Blob([dump]) });
  const database = await openDatabase({ pglite: client });
  return { database, url: undefined, dispose: () => database.close() };
}

export const TEST_AUTH_SECRET = 'test-secret-test-secret-test-secret-0123';

export const isPostgres = () => Boolean(process.env.TEST_DATABASE_URL);

export type TestApp = Built & {
  /** The durable job runner of this app; `jobs.drain()` runs everything due now. */
  jobs: JobRunner;
  clock: FakeClock;
  database: Database;
  config: Config;
  dataDir: string;
  close: () => Promise<void>;
};

export type TestAppOptions = {
  windows?: Partial<Windows>;
  signInRateLimit?: { windowSeconds: number; max: number };
  /** A database to use instead of a fresh one; the app disposes it on close. */
  database?: TestDatabase;
  /** Use the real clock instead of a fake one (tests with real sockets and timers). */
  realClock?: boolean;
  hub?: AppOptions['hub'];
  paymentProvider?: AppOptions['paymentProvider'];
  /** Start no job runner (a test that plays a crash before the job ran). */
  withoutJobRunner?: boolean;
  /** More environment for the configuration (e.g. TRUST_PROXY), parsed as at start-up. */
  env?: Record<string, string>;
  /** Where the app logs (pino lines); silent by default. */
  logger?: AppOptions['logger'];
};

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const testDb = options.database ?? (await openTestDatabase());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodoctor-test-'));
  const base = parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', ...options.env });
  const config: Config = { ...base, windows: { ...base.windows, ...options.windows } };
  const clock = new FakeClock();
  const built = await buildApp({
    config,
    database: testDb.database,
    authSecret: TEST_AUTH_SECRET,
    clock: options.realClock ? { now: () => new Date() } : clock,
    logger: options.logger ?? pino({ level: 'silent' }),
    signInRateLimit: options.signInRateLimit ?? { windowSeconds: 60, max: 1000 },
    hub: options.hub,
    paymentProvider: options.paymentProvider,
  });
  await built.app.ready();
  await built.bus.start();
  built.hub.start();
  const jobs: JobRunner = options.withoutJobRunner
    ? { drain: async () => 0, stop: async () => {} }
    : startJobRunner(built.ctx, built.bus, JOB_HANDLERS, { pollMs: 200 });
  return {
    ...built,
    jobs,
    clock,
    database: testDb.database,
    config,
    dataDir,
    close: async () => {
      const step = async (name: string, work: () => Promise<unknown>) => {
        const t0 = Date.now();
        await work();
        if (process.env.DEBUG_CLOSE) console.log(`close: ${name} ${Date.now() - t0} ms`);
      };
      await step('jobs', () => jobs.stop());
      await step('hub', () => built.hub.stop());
      await step('app', () => built.app.close());
      await step('bus', () => built.bus.stop());
      await testDb.dispose(); // the app owns its database, given or not: nothing is left behind
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
