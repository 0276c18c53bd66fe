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

/**
 * What a LISTEN connection reports. On PostgreSQL the connection can drop (a failover, a restart of
 * the database): `onDown` says so, the listener reconnects with backoff and LISTENs again, and
 * `onUp` says it is back — notifications sent in between are lost, so the caller catches up.
 */
export type ListenHandlers = {
  onPayload: (payload: string) => void;
  onDown?: (error: unknown) => void;
  onUp?: () => void;
};

/** A notification channel: PostgreSQL LISTEN/NOTIFY on either driver. */
export type Listener = (channel: string, handlers: ListenHandlers) => Promise<() => Promise<void>>;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  listen: Listener;
  notify: (channel: string, payload: string) => Promise<void>;
  /** True when the database answers a trivial query. */
  ping: () => Promise<boolean>;
  close: () => Promise<void>;
  /** PostgreSQL: how long requests waited for a pooled connection since the last call (then reset). */
  takePoolWaits?: () => PoolWaits;
};

export type PoolWaits = { acquisitions: number; over10Ms: number; maxMs: number };

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
  /** Told about connection errors the driver raises outside any query (they never crash the process). */
  onConnectionError?: (error: unknown) => void;
};

/** Reconnect delays of the LISTEN connection: 100 ms doubling to 5 s, with jitter. */
export function reconnectDelayMs(attempt: number, random = Math.random): number {
  const base = Math.min(5000, 100 * 2 ** attempt);
  return Math.round(base / 2 + (random() * base) / 2);
}

/**
 * Opens the database the configuration names: PostgreSQL when a URL is given, else PGlite in
 * `dataDir/pglite` guarded by a lock file, else (tests) a PGlite instance handed in.
 */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10, options.onConnectionError);
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
    listen: async (channel, { onPayload }) => {
      // In-process: nothing between the listener and the database can drop.
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

function openPostgres(url: string, poolSize: number, onConnectionError = (_error: unknown) => {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // A connection that dies (the backend terminated, the server restarted) makes its client emit
  // 'error'. The pool listens only while a client is idle; a client checked out for a request
  // would emit with nobody listening, and an unhandled 'error' event ends the process. Every
  // client gets a listener for its whole life: the query in flight fails on its own (→ 503), the
  // pool discards the broken client, and the next request gets a fresh connection.
  pool.on('connect', (client) => client.on('error', onConnectionError));
  pool.on('error', onConnectionError);
  // How long each checkout waited for a free connection: every query and transaction takes one.
  let waits: PoolWaits = { acquisitions: 0, over10Ms: 0, maxMs: 0 };
  const connect = pool.connect.bind(pool) as (callback?: unknown) => unknown;
  const timed = (started: number) => {
    const ms = performance.now() - started;
    waits.acquisitions++;
    if (ms >= 10) waits.over10Ms++;
    if (ms > waits.maxMs) waits.maxMs = ms;
  };
  (pool as unknown as { connect: (callback?: unknown) => unknown }).connect = (callback?: unknown) => {
    const started = performance.now();
    if (typeof callback === 'function') {
      return connect((error: unknown, client: unknown, release: unknown) => {
        timed(started);
        (callback as (...args: unknown[]) => void)(error, client, release);
      });
    }
    return (connect() as Promise<pg.PoolClient>).then((client) => (timed(started), client));
  };
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const listeners = new Set<() => Promise<void>>();
  return {
    db,
    kind: 'postgres',
    listen: async (channel, handlers) => {
      const stop = await listenResiliently(url, channel, handlers);
      listeners.add(stop);
      return async () => {
        listeners.delete(stop);
        await stop();
      };
    },
    notify: async (channel, payload) => {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    ping: () => pingWith(db),
    close: async () => {
      await Promise.all([...listeners].map((stop) => stop()));
      await pool.end();
    },
    takePoolWaits: () => {
      const taken = waits;
      waits = { acquisitions: 0, over10Ms: 0, maxMs: 0 };
      return taken;
    },
  };
}

/**
 * LISTEN on a connection of its own, for as long as it listens. When that connection drops it is
 * reopened with backoff and LISTENs again; `onDown`/`onUp` bracket the gap. The first connection
 * must succeed (start-up fails loudly otherwise).
 */
async function listenResiliently(url: string, channel: string, handlers: ListenHandlers): Promise<() => Promise<void>> {
  let stopped = false;
  let current: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const open = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: url });
    let lost = false;
    const onLost = (error: unknown) => {
      if (lost || stopped) return;
      lost = true;
      current = undefined;
      client.end().catch(() => {});
      handlers.onDown?.(error);
      scheduleReconnect(0);
    };
    client.on('error', onLost);
    client.on('end', () => onLost(new Error('LISTEN connection ended')));
    client.on('notification', (message) => {
      if (message.channel === channel) handlers.onPayload(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      lost = true; // not yet listening: the caller decides what to do
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw error;
    }
    return client;
  };

  const scheduleReconnect = (attempt: number) => {
    if (stopped) return;
    retry = setTimeout(() => {
      open().then(
        (client) => {
          if (stopped) return void client.end().catch(() => {});
          current = client;
          handlers.onUp?.();
        },
        () => scheduleReconnect(attempt + 1),
      );
    }, reconnectDelayMs(attempt));
  };

  current = await open();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const client = current;
    current = undefined;
    await client?.end().catch(() => {});
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
