import cluster from 'node:cluster';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { resolveAuthSecret } from './auth/auth.js';
import { ConfigError, parseConfig, type Config } from './config.js';
import { migrateDatabase, openDatabase } from './db/client.js';
import { DirectoryLockedError } from './db/directory-lock.js';
import { seedDemo, seedPlans } from './db/seed.js';
import { JOB_HANDLERS } from './jobs/handlers.js';
import { startJobRunner } from './jobs/runner.js';
import { startSweeper } from './jobs/sweeper.js';
import { createLogger, defaultLogFormat } from './platform/logging.js';

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

/**
 * Process entry: configuration → database → app → listen. With WEB_CONCURRENCY > 1 (PostgreSQL
 * only) the primary migrates once and forks workers that share the port; each worker is a full
 * server (sweeper included: compare-and-set makes concurrent sweepers safe).
 */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const log = createLogger(config.logLevel, config.logFormat ?? defaultLogFormat());
  if (config.webConcurrency > 1 && cluster.isPrimary) return runPrimary(config, log);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onConnectionError: (error) => log.warn({ err: error }, 'a database connection failed; it will be replaced'),
  });
  if (cluster.isPrimary) await migrateDatabase(database);
  const { app, ctx, bus, hub, auth } = await buildApp({
    config,
    database,
    authSecret: await resolveAuthSecret(database.db, config.authSecret, config.dataDir),
    logger: log,
    webDir: WEB_DIR,
  });
  // Seeding is idempotent but not race-free across workers: the first process does it.
  if (cluster.isPrimary || cluster.worker?.id === 1) {
    await seedPlans(database.db);
    if (config.seedDemo) await seedDemo(database.db, auth);
  }
  await bus.start();
  hub.start();
  const sweeper = startSweeper(ctx, config.sweepIntervalMs);
  // Jobs committed before a crash run now: nothing that was enqueued is forgotten.
  const jobs = startJobRunner(ctx, bus, JOB_HANDLERS);
  await app.listen({ port: config.port, host: config.host });
  log.info(
    { url: config.publicUrl, database: database.kind, demo: config.seedDemo },
    `AutoDoctor is ready at ${config.publicUrl}`,
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    await hub.stop();
    await app.close().catch(() => {});
    await sweeper.stop();
    await jobs.stop();
    await bus.stop();
    await database.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

async function runPrimary(config: Config, log: Logger): Promise<void> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 1 });
  await migrateDatabase(database);
  await seedPlans(database.db);
  await database.close();
  let stopping = false;
  const fork = () =>
    cluster.fork().on('exit', (code) => {
      if (stopping) return;
      log.error({ code }, 'a worker exited; starting another');
      setTimeout(fork, 1000);
    });
  for (let i = 0; i < config.webConcurrency; i++) fork();
  log.info({ workers: config.webConcurrency }, 'primary started workers');
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 10_000).unref();
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DirectoryLockedError) {
    console.error(error.message);
  } else {
    console.error('AutoDoctor failed to start:', error);
  }
  process.exit(1);
});
