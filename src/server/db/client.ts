import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { acquireDirectoryLock, type DirectoryLock } from './directory-lock.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema>;
/** Anything that runs queries: the database or an open transaction. */
export type Executor = Db | Tx;

/** A notification channel: PostgreSQL LISTEN/NOTIFY on either driver. */
export type Listener = (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  listen: Listener;
  notify: (channel: string, payload: string) => Promise<void>;
  /** True when the database answers a trivial query. */
  ping: () => Promise<boolean>;
  close: () => Promise<void>;
};

export const MIGRATIONS_FOLDER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../src/server/db/migrations',
);

/** Rows of a raw query, whichever driver answered it. */
export async function queryRows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * A fixed statement for a hot path. On PostgreSQL it is sent by name, so each connection parses
 * and plans it once; on either driver nothing is rebuilt per call (query building was a fifth of
 * the server's CPU and a third of its garbage on the chat path).
 */
export type Statement = { name: string; text: string };

type RawClient = { query: (text: string, values: unknown[]) => Promise<{ rows: unknown[] }> };

/** Runs a statement on the database or inside the open transaction `executor` stands for. */
export async function runStatement<T>(executor: Executor, statement: Statement, values: unknown[]): Promise<T[]> {
  // Drizzle's session holds the driver's client: the pool, the transaction's connection, or PGlite.
  const client = (executor as unknown as { session: { client: pg.Pool | pg.PoolClient | RawClient } }).session.client;
  if (client instanceof pg.Pool || client instanceof pg.Client) {
    const result = await client.query({ name: statement.name, text: statement.text, values });
    return result.rows as T[];
  }
  const result = await (client as RawClient).query(statement.text, values);
  return result.rows as T[];
}

export type OpenOptions = {
  databaseUrl?: string | undefined;
  dataDir?: string;
  poolSize?: number;
  pglite?: PGlite;
};

/**
 * Opens the database the configuration names: PostgreSQL when a URL is given, else PGlite in
 * `dataDir/pglite` guarded by a lock file, else (tests) a PGlite instance handed in.
 */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  if (options.pglite) return wrapPglite(options.pglite, undefined);
  if (!options.dataDir) throw new Error('openDatabase needs a databaseUrl, a dataDir or a PGlite instance');
  const directory = path.resolve(options.dataDir, 'pglite');
  fs.mkdirSync(directory, { recursive: true }); // PGlite does not create parent folders.
  const lock = acquireDirectoryLock(directory);
  try {
    const client = await PGlite.create(directory);
    return wrapPglite(client, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

function wrapPglite(client: PGlite, lock: DirectoryLock | undefined): Database {
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    listen: async (channel, onPayload) => {
      const unlisten = await client.listen(channel, onPayload);
      return () => unlisten();
    },
    notify: async (channel, payload) => {
      await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    ping: () => pingWith(db),
    close: async () => {
      await client.close();
      lock?.release();
    },
  };
}

function openPostgres(url: string, poolSize: number): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const listeners = new Set<pg.Client>();
  return {
    db,
    kind: 'postgres',
    listen: async (channel, onPayload) => {
      // LISTEN needs a connection of its own for as long as it listens.
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {});
      await client.connect();
      listeners.add(client);
      client.on('notification', (message) => {
        if (message.channel === channel) onPayload(message.payload ?? '');
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        listeners.delete(client);
        await client.end().catch(() => {});
      };
    },
    notify: async (channel, payload) => {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    ping: () => pingWith(db),
    close: async () => {
      await Promise.all([...listeners].map((client) => client.end().catch(() => {})));
      await pool.end();
    },
  };
}

async function pingWith(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`SELECT 1`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Applies the committed migrations. On PostgreSQL an advisory lock makes concurrent starts of
 * several processes safe: one migrates, the others wait and then find nothing to do.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as never, {
      migrationsFolder: MIGRATIONS_FOLDER,
    });
    return;
  }
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(727001)`);
    await migratePg(tx as never, { migrationsFolder: MIGRATIONS_FOLDER });
  });
}
