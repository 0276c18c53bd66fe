import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedSecret } from '../../src/server/auth/auth.repository.js';
import { findViolations } from '../../src/server/admin/invariants.repository.js';
import { messages } from '../../src/server/db/schema.js';
import { customer, mechanic, signUp, type TestUser } from '../factories/index.js';
import { liveSession } from '../factories/sessions.js';
import { post } from '../helpers/http.js';
import { createTestApp, isPostgres, openTestDatabase, TEST_AUTH_SECRET, type TestApp } from '../helpers/test-app.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { connect } from '../helpers/ws-client.js';

/*
 * The database blinks: its backends are terminated (a failover, a restart of PostgreSQL) while
 * requests are in flight, and while everything is idle. Two processes share the database: this
 * test process (app A, as the `postgres` role) and a real server process (B, as a role of its own,
 * so that the test can keep B out while it writes through A).
 */
describe.runIf(isPostgres())('the database blinking', () => {
  let t: TestApp;
  let b: ServerProcess;
  let admin: pg.Client;
  let databaseName: string;
  const role = `autodoctor_app_${crypto.randomBytes(4).toString('hex')}`;

  const sql = (text: string) => admin.query(text);
  /** Terminates every backend of B (or of everyone but this admin connection). */
  const terminate = (who: 'b' | 'all') =>
    sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = '${databaseName}' AND pid <> pg_backend_pid()${who === 'b' ? ` AND usename = '${role}'` : ''}`);
  const onB = (path: string, init: RequestInit & { as?: TestUser } = {}) =>
    fetch(`${b.base}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...init.as?.headers, ...(init.headers as object) },
    });
  const waitFor = async (check: () => Promise<boolean>, what: string, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const readiness = async () => {
    const reply = await fetch(`${b.base}/readyz`).catch(() => null);
    return reply ? { status: reply.status, body: (await reply.json()) as { realtime: boolean } } : null;
  };

  beforeAll(async () => {
    const database = await openTestDatabase(20);
    t = await createTestApp({ database, realClock: true });
    const url = new URL(database.url!);
    databaseName = url.pathname.slice(1);
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await sql(`CREATE ROLE ${role} LOGIN SUPERUSER`);
    await sharedSecret(t.database.db, 'auth_secret', TEST_AUTH_SECRET);
    url.username = role;
    b = await startServerProcess({ DATABASE_URL: url.toString(), AUTH_SECRET: '', LOG_LEVEL: 'fatal' });
  }, 60_000);

  afterAll(async () => {
    await b?.stop();
    await sql(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
    await admin?.end();
    await t?.close();
  });

  it('requests in flight fail with a 503 problem, both processes keep running, the next requests succeed', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    // Hold the session row so that B's message post is in flight when its backend dies.
    const holder = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${databaseName}` });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM sessions WHERE id = $1 FOR UPDATE', [session.id]);
    const clientId = crypto.randomUUID();
    const inFlight = onB(`/api/sessions/${session.id}/messages`, {
      method: 'POST',
      as: c,
      body: JSON.stringify({ body: 'sent as the database went away', clientId }),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await terminate('b');
    const failed = await inFlight;
    await holder.query('ROLLBACK');
    await holder.end();
    expect(failed.status).toBe(503);
    expect(failed.headers.get('content-type')).toContain('application/problem+json');
    expect(failed.headers.get('retry-after')).toBe('1');
    expect(((await failed.json()) as { code: string }).code).toBe('SERVICE_UNAVAILABLE');
    // The retry (same clientId) is accepted once, and both processes are still serving.
    const retried = await onB(`/api/sessions/${session.id}/messages`, {
      method: 'POST',
      as: c,
      body: JSON.stringify({ body: 'sent as the database went away', clientId }),
    });
    expect(retried.status).toBe(201);
    expect(b.isRunning()).toBe(true);
    expect(
      (await post(t, `/api/sessions/${session.id}/messages`, c, { body: 'via A', clientId: crypto.randomUUID() }))
        .status,
    ).toBe(201);
  });

  it('under load with repeated blinks: no crash, only 2xx or 503, no acknowledged write lost, doctor clean', async () => {
    const pairs = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const c = await customer(t);
        return { c, session: await liveSession(t, c, await mechanic(t)) };
      }),
    );
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let running = true;
    const worker = async ({ c, session }: (typeof pairs)[number]) => {
      while (running) {
        const reply = await onB(`/api/sessions/${session.id}/messages`, {
          method: 'POST',
          as: c,
          body: JSON.stringify({ body: `load ${crypto.randomUUID()}`, clientId: crypto.randomUUID() }),
        }).catch(() => null);
        const status = reply?.status ?? 0;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (reply?.status === 201) acknowledged.push(((await reply.json()) as { id: string }).id);
        else await reply?.body?.cancel();
      }
    };
    const load = Promise.all(pairs.map(worker));
    for (let blink = 0; blink < 8; blink++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await terminate('all');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    running = false;
    await load;
    expect(b.isRunning()).toBe(true);
    expect(
      [...statuses.keys()].every((s) => s === 201 || s === 503),
      JSON.stringify([...statuses]),
    ).toBe(true);
    expect(acknowledged.length).toBeGreaterThan(20);
    const stored = new Set((await t.database.db.select({ id: messages.id }).from(messages)).map((r) => r.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    expect(await findViolations(t.database.db, { now: new Date(), sweepIntervalMs: 5000 })).toEqual([]);
  });

  it('idle: realtime reconnects, reports the outage, catches up exactly and forgets cached sign-ins', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const socket = await connect(b.base, m.headers);
    socket.send({ type: 'subscribe', topic: `session:${session.id}` });
    await socket.next((f) => f.type === 'subscribed');
    // A sign-in B has cached, that will be signed out while B cannot hear about it.
    const leaving = await signUp(t, 'leaving');
    expect((await onB('/api/me', { as: leaving })).status).toBe(200);

    await sql(`ALTER ROLE ${role} NOLOGIN`);
    await terminate('b');
    await waitFor(async () => (await readiness())?.status === 503, 'readiness to report the outage');
    expect((await readiness())!.body.realtime).toBe(false);
    const missed = await post(t, `/api/sessions/${session.id}/messages`, c, {
      body: 'while B was away',
      clientId: crypto.randomUUID(),
    });
    await post(t, '/api/auth/sign-out', leaving);

    await sql(`ALTER ROLE ${role} LOGIN`);
    const delivered = await socket.next(
      (f) => f.event?.kind === 'message.created' && f.event.message.id === missed.body.id,
      15_000,
    );
    expect(delivered.cursor).toBeGreaterThan(0);
    await waitFor(async () => (await readiness())?.status === 200, 'readiness to recover');
    expect((await onB('/api/me', { as: leaving })).status).toBe(401);
    const live = await post(t, `/api/sessions/${session.id}/messages`, c, {
      body: 'after',
      clientId: crypto.randomUUID(),
    });
    await socket.next((f) => f.event?.kind === 'message.created' && f.event.message.id === live.body.id);
    expect(socket.events('message.created').filter((f) => f.event.message.id === missed.body.id)).toHaveLength(1);
    await socket.close();
  });
});
