import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { buildApp } from './app.js';
import { resolveAuthSecret } from './auth/auth.js';
import { ConfigError, parseConfig } from './config.js';
import { migrateDatabase, openDatabase } from './db/client.js';
import { DirectoryLockedError } from './db/directory-lock.js';
import { seedDemo, seedPlans } from './db/seed.js';
import { startSweeper } from './jobs/sweeper.js';

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

/** Process entry: configuration → database → app → listen. */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const log = pino({ level: config.logLevel });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateDatabase(database);
  const { app, ctx, bus, hub, auth } = await buildApp({
    config,
    database,
    authSecret: resolveAuthSecret(config.authSecret, config.dataDir),
    logger: log,
    webDir: WEB_DIR,
  });
  await seedPlans(database.db);
  if (config.seedDemo) await seedDemo(database.db, auth);
  await bus.start();
  hub.start();
  const sweeper = startSweeper(ctx, config.sweepIntervalMs);
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
    await bus.stop();
    await database.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DirectoryLockedError) {
    console.error(error.message);
  } else {
    console.error('AutoDoctor failed to start:', error);
  }
  process.exit(1);
});
