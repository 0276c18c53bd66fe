/*
 * `npm run bench` — the benchmark of shared/spec/quality.md.
 *
 *   lifecycle  concurrent clients run checkout → confirm (test card) → create → accept → join → join
 *              → end over HTTP (keep-alive), on a paid plan; the capture runs after each end, and
 *              end → captured is measured from the server's own timestamps
 *   raw        the SQL the server issued for one cycle (recorded from the driver, not guessed),
 *              replayed through the same driver at the same concurrency, without HTTP, auth or
 *              validation; ratio = lifecycle / raw
 *   realtime   N live sessions with two sockets each; latency from POST to the other socket;
 *              --runs N measures it N times (fresh server each) and reports the worst p99
 *   realtime10k the same at 5,000 live sessions (10,000 sockets), 200 messages/s
 *   startup    spawn to /readyz on PGlite (new and existing directory) and on PostgreSQL
 *
 * Options: --clients 16 --seconds 12 --sessions 1000 --messages 3000 --rate 100 --workers 2 --runs 1
 *          --only lifecycle,realtime,realtime10k,startup (phases to run; all by default)
 * Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 *              BENCH_NODE_FLAGS (extra node flags for the server, e.g. "--trace-gc").
 * The last line printed is one JSON object.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { pino } from 'pino';
import { buildApp } from '../src/server/app.js';
import { parseConfig } from '../src/server/config.js';
import { openDatabase } from '../src/server/db/client.js';
import { JOB_HANDLERS } from '../src/server/jobs/handlers.js';
import { startJobRunner } from '../src/server/jobs/runner.js';
import {
  logSize,
  logSlowStatements,
  postgresLog,
  scrapeMetrics,
  summariseGc,
  summarisePostgres,
  summariseServer,
  type GcSummary,
  type PostgresSummary,
} from './attribution.js';
import {
  createAccounts,
  createDatabase,
  httpClient,
  percentile,
  rssBytes,
  sortNumbers,
  startServer,
  type Account,
} from './lib.js';

const { values: opts } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '12' },
    sessions: { type: 'string', default: '1000' },
    messages: { type: 'string', default: '3000' },
    workers: { type: 'string', default: '2' },
    rate: { type: 'string', default: '100' },
    runs: { type: 'string', default: '1' },
    only: { type: 'string', default: 'lifecycle,realtime,realtime10k,startup' },
  },
});
const PHASES = new Set(opts.only.split(','));
const CLIENTS = Number(opts.clients);
const SECONDS = Number(opts.seconds);
const SESSIONS = Number(opts.sessions);
const MESSAGES = Number(opts.messages);
const WORKERS = Number(opts.workers);
const RATE = Number(opts.rate);
const RUNS = Math.max(1, Number(opts.runs));
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const AUTH_SECRET = 'bench-secret-bench-secret-bench-secret-0';
const log = (...args: unknown[]) => console.error('[bench]', ...args);
const card = { cardNumber: '4242424242424242', expMonth: 12, expYear: 2040, cvc: '123' };
const body = {
  plan: 'quick',
  vehicle: { year: 2016, make: 'Toyota', model: 'Corolla' },
  concern: 'Benchmark: grinding noise when braking.',
};

if (!fs.existsSync('dist/server/main.js')) execSync('npm run build:server', { stdio: 'inherit' });

type Recorded = { label: string; text: string; values: unknown[]; rowMode?: string; name?: string };

/** Runs one cycle through an in-process app and records every statement the pg driver sends. */
async function recordCycle(url: string, customer: Account, mechanic: Account) {
  const recorded: Recorded[] = [];
  let label = '';
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as any).query = function (this: pg.Client, config: any, values?: any, callback?: any) {
    if (label) {
      const text = typeof config === 'string' ? config : config.text;
      recorded.push({
        label,
        text,
        values: (typeof config === 'string' ? values : (config.values ?? values)) ?? [],
        rowMode: config?.rowMode,
        name: config?.name, // statements the server names are replayed by the same name
      });
    }
    return original.call(this, config, values, callback);
  };
  const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
  const { app, bus, ctx } = await buildApp({
    config: parseConfig({ LOG_LEVEL: 'silent', DATABASE_URL: url }),
    database,
    authSecret: AUTH_SECRET,
    logger: pino({ level: 'silent' }),
  });
  const call = async (name: string, method: 'POST', path: string, who: Account, payload?: unknown) => {
    label = name;
    const reply = await app.inject({
      method,
      url: path,
      headers: { authorization: `Bearer ${who.token}` },
      payload: payload as object,
    });
    label = '';
    if (reply.statusCode >= 300) throw new Error(`${name}: ${reply.statusCode} ${reply.body}`);
    return reply.json();
  };
  const payment = await call('checkout', 'POST', '/api/payments/checkout', customer, { plan: body.plan });
  await call('confirm', 'POST', `/api/payments/${payment.id}/confirm`, customer, card);
  const created = await call('create', 'POST', '/api/sessions', customer, { ...body, paymentId: payment.id });
  await call('accept', 'POST', `/api/sessions/${created.id}/accept`, mechanic);
  await call('join (customer)', 'POST', `/api/sessions/${created.id}/join`, customer);
  await call('join (mechanic)', 'POST', `/api/sessions/${created.id}/join`, mechanic);
  await call('end', 'POST', `/api/sessions/${created.id}/end`, customer, {});
  // The settlement the server runs after each end (a durable job): its work is part of a cycle.
  label = 'settle';
  const runner = startJobRunner(ctx, bus, JOB_HANDLERS, { pollMs: 3_600_000 });
  await runner.drain();
  await runner.stop();
  label = '';
  (pg.Client.prototype as any).query = original;
  await app.close();
  await bus.stop();
  await database.close();
  // Auth look-ups are the HTTP layer's cost, not the lifecycle's: the raw baseline leaves them out.
  // The job runner's claims of the unattached-hold void (not due) are polling, not work: left out too.
  const isAuth = (s: Recorded) => /"auth_sessions"|from "users"/i.test(s.text);
  const lifecycle = recorded.filter((s) => !isAuth(s));
  if (process.env.BENCH_SHOW_SQL)
    for (const s of recorded) log(s.label.padEnd(16), s.text.slice(0, 110).replace(/\s+/g, ' '));
  const perRequest: Record<string, { statements: number; auth: number; transactions: number }> = {};
  for (const s of recorded) {
    const entry = (perRequest[s.label] ??= { statements: 0, auth: 0, transactions: 0 });
    if (isAuth(s)) entry.auth++;
    else entry.statements++;
    if (/^begin/i.test(s.text)) entry.transactions++;
  }
  return {
    lifecycle,
    perRequest,
    sessionId: created.id as string,
    paymentId: payment.id as string,
    intentId: intentOf(lifecycle),
  };
}

/** The local provider's intent id the recording created (generated in JavaScript, so fresh for each replay). */
function intentOf(script: Recorded[]): string {
  const insert = script.find((s) => /^insert into "local_payment_intents"/i.test(s.text));
  return String(insert?.values[0] ?? '');
}

/** Replays the recorded statements for one account pair, with their ids swapped in. */
async function rawCycle(
  client: pg.Client,
  script: Recorded[],
  old: { customer: string; mechanic: string; session: string; payment: string; intent: string },
  who: { customer: string; mechanic: string },
) {
  const swap = new Map([
    [old.customer, who.customer],
    [old.mechanic, who.mechanic],
  ]);
  // Ids also appear inside other values (idempotency keys `capture:<id>`, job keys, JSON payloads).
  const swapIn = (value: unknown) => {
    if (typeof value !== 'string') return value;
    let out = value;
    for (const [from, to] of swap) if (out.includes(from)) out = out.replaceAll(from, to);
    return out;
  };
  for (const statement of script) {
    if (/^insert into "local_payment_intents"/i.test(statement.text)) {
      swap.set(old.intent, `pi_local_${crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`);
    }
    const values = statement.values.map(swapIn);
    const result = await client
      .query({
        text: statement.text,
        values,
        ...(statement.rowMode ? { rowMode: statement.rowMode as 'array' } : {}),
        ...(statement.name ? { name: statement.name } : {}),
      })
      .catch((error: Error) => {
        throw new Error(`${error.message} in: ${statement.text.slice(0, 160)} with ${JSON.stringify(values)}`);
      });
    // Ids the database generated in the recording are swapped for the ones it generates now.
    for (const [table, key] of [
      ['sessions', 'session'],
      ['payments', 'payment'],
    ] as const) {
      if (new RegExp(`^insert into "${table}"`, 'i').test(statement.text)) {
        const row = result.rows[0] as unknown[] | { id: string };
        swap.set(old[key], Array.isArray(row) ? (row[0] as string) : row.id);
      }
    }
  }
}

/**
 * From "end" to "captured", by the server's own clock: the session's ended_at to the payment's
 * settled_at, for the sessions that ended in [from, to). Waits (up to 10 s) for the last ones.
 */
async function captureLatencies(url: string, from: Date, to: Date) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const query = `SELECT p.status, extract(epoch from (p.settled_at - s.ended_at)) * 1000 AS ms
      FROM payments p JOIN sessions s ON s.id = p.session_id WHERE s.ended_at >= $1 AND s.ended_at < $2`;
    let rows: { status: string; ms: string | null }[] = [];
    for (let waited = 0; waited < 10_000; waited += 250) {
      rows = (await client.query(query, [from, to])).rows;
      if (rows.every((r) => r.status === 'captured')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const ms = sortNumbers(rows.filter((r) => r.status === 'captured').map((r) => Number(r.ms)));
    return {
      captured: ms.length,
      notCaptured: rows.length - ms.length,
      p50Ms: percentile(ms, 50),
      p99Ms: percentile(ms, 99),
    };
  } finally {
    await client.end();
  }
}

async function runFor(
  seconds: number,
  clients: number,
  cycle: (i: number) => Promise<number[] | void>,
  paceMs?: number,
) {
  const latencies: number[] = [];
  let cycles = 0;
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      let next = performance.now() + (paceMs ? Math.random() * paceMs : 0);
      while (performance.now() < deadline) {
        if (paceMs) {
          const wait = next - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          next += paceMs;
        }
        try {
          const times = await cycle(i);
          if (times) latencies.push(...times);
          cycles++;
        } catch (error) {
          errors++;
          if (errors < 2) log('cycle failed:', error instanceof Error ? error.stack : String(error));
        }
      }
    }),
  );
  return { cyclesPerSec: Math.round((cycles / seconds) * 10) / 10, latencies: sortNumbers(latencies), errors };
}

function httpCycle(base: string, customers: Account[], mechanics: Account[]) {
  const client = httpClient(base, CLIENTS * 2);
  const timed = async (times: number[], method: string, p: string, who: Account, payload?: unknown) => {
    const t0 = performance.now();
    const reply = await client.request(method, p, who.token, payload);
    times.push(performance.now() - t0);
    if (reply.status >= 300) throw new Error(`${method} ${p}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const cycle = async (i: number) => {
    const c = customers[i]!;
    const m = mechanics[i]!;
    const times: number[] = [];
    const payment = await timed(times, 'POST', '/api/payments/checkout', c, { plan: body.plan });
    await timed(times, 'POST', `/api/payments/${payment.id}/confirm`, c, card);
    const created = await timed(times, 'POST', '/api/sessions', c, { ...body, paymentId: payment.id });
    await timed(times, 'POST', `/api/sessions/${created.id}/accept`, m);
    await timed(times, 'POST', `/api/sessions/${created.id}/join`, c);
    await timed(times, 'POST', `/api/sessions/${created.id}/join`, m);
    await timed(times, 'POST', `/api/sessions/${created.id}/end`, c, {});
    return times;
  };
  return { cycle, close: client.close };
}

async function lifecycleBench(workers: number) {
  const db = await createDatabase(BASE_URL);
  const server = await startServer(
    { DATABASE_URL: db.url, AUTH_SECRET, SEED_DEMO: 'false', WEB_CONCURRENCY: String(workers) },
    4100 + workers,
  );
  try {
    const accounts = await createAccounts(db.url, CLIENTS + 1, CLIENTS + 1);
    const { cycle, close } = httpCycle(server.base, accounts.customers, accounts.mechanics);
    await runFor(2, CLIENTS, cycle); // warm-up: JIT, prepared plans, pools
    const peak = await runFor(SECONDS, CLIENTS, cycle);
    let half: Awaited<ReturnType<typeof runFor>> | undefined;
    let recording: Awaited<ReturnType<typeof recordCycle>> | undefined;
    let raw: Awaited<ReturnType<typeof runFor>> | undefined;
    let capture: Awaited<ReturnType<typeof captureLatencies>> | undefined;
    if (workers === 1) {
      // Half the peak rate, paced (open loop per client): the latency a customer sees on a normal day.
      const halfFrom = new Date();
      half = await runFor(SECONDS, CLIENTS, cycle, (CLIENTS / (peak.cyclesPerSec / 2)) * 1000);
      capture = await captureLatencies(db.url, halfFrom, new Date());
      recording = await recordCycle(db.url, accounts.customers[CLIENTS]!, accounts.mechanics[CLIENTS]!);
      const old = {
        customer: accounts.customers[CLIENTS]!.id,
        mechanic: accounts.mechanics[CLIENTS]!.id,
        session: recording.sessionId,
        payment: recording.paymentId,
        intent: recording.intentId,
      };
      const connections = await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          const c = new pg.Client({ connectionString: db.url });
          await c.connect();
          return c;
        }),
      );
      const script = recording.lifecycle;
      const rawOne = async (i: number) => {
        const t0 = performance.now();
        await rawCycle(connections[i]!, script, old, {
          customer: accounts.customers[i]!.id,
          mechanic: accounts.mechanics[i]!.id,
        });
        return [performance.now() - t0];
      };
      await runFor(2, CLIENTS, rawOne);
      raw = await runFor(SECONDS, CLIENTS, rawOne);
      await Promise.all(connections.map((c) => c.end()));
    }
    close();
    return { peak, half, raw, recording, capture };
  } finally {
    await server.stop();
    await db.drop();
  }
}

/** Waits until no job is queued, retrying or running; returns how long it took. */
async function waitForJobs(url: string, timeoutMs: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  try {
    for (;;) {
      const { rows } = await client.query(
        "SELECT count(*)::int AS n FROM jobs WHERE state IN ('queued', 'retrying', 'running') AND run_at <= now()",
      );
      if (rows[0].n === 0) return Math.round(performance.now() - started);
      if (performance.now() - started > timeoutMs) throw new Error(`${rows[0].n} jobs still pending`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await client.end();
  }
}

/** N live sessions (quick plan, paid with the test card), set up over HTTP 32 at a time. */
async function setUpLiveSessions(base: string, accounts: { customers: Account[]; mechanics: Account[] }, n: number) {
  const setup = httpClient(base, 32);
  const ids: string[] = [];
  for (let start = 0; start < n; start += 32) {
    await Promise.all(
      Array.from({ length: Math.min(32, n - start) }, async (_, k) => {
        const i = start + k;
        const c = accounts.customers[i]!;
        const m = accounts.mechanics[i]!;
        const payment = (await setup.request('POST', '/api/payments/checkout', c.token, { plan: body.plan })).body;
        await setup.request('POST', `/api/payments/${payment.id}/confirm`, c.token, card);
        const created = (await setup.request('POST', '/api/sessions', c.token, { ...body, paymentId: payment.id }))
          .body;
        await setup.request('POST', `/api/sessions/${created.id}/accept`, m.token);
        await setup.request('POST', `/api/sessions/${created.id}/join`, c.token);
        await setup.request('POST', `/api/sessions/${created.id}/join`, m.token);
        ids[i] = created.id;
      }),
    );
    if (start % 1000 === 0 && start > 0) log(`  ${start} of ${n} sessions live`);
  }
  setup.close();
  return ids;
}

type RealtimeRun = {
  sockets: number;
  messages: number;
  lost: number;
  p50Ms: number;
  p99Ms: number;
  postP50Ms: number;
  postP99Ms: number;
  bytesPerSocket: number;
  ratePerSec: number;
  /** Heartbeat pings the sockets received while messages flowed (the server pings each every 20 s). */
  heartbeats: number;
  /** The longest gap between two pings any socket saw meanwhile: about 20 s when nothing stalls them. */
  maxHeartbeatGapMs: number;
  /** The load generator's own event-loop delay (p99): a stall here inflates every figure above. */
  generatorLoopP99Ms: number;
  /** Where the tail came from, over the window the messages flowed (bench/attribution.ts). */
  attribution: {
    serverGc: GcSummary;
    server: ReturnType<typeof summariseServer>;
    postgres: PostgresSummary | null;
  };
};

/**
 * One measured run of the realtime phase on a fresh server process (as after a deploy, whose
 * inspector can collect garbage before each memory reading: resident memory otherwise counts
 * whatever garbage awaits collection): two sockets per live session, then messages at `rate` per
 * second, customer → mechanic, timed from the POST to the mechanic's socket.
 */
async function realtimeRun(
  env: Record<string, string>,
  port: number,
  accounts: { customers: Account[]; mechanics: Account[] },
  ids: string[],
  messages: number,
  rate: number,
): Promise<RealtimeRun> {
  const sessions = ids.length;
  const server = await startServer(env, port, { inspect: true, traceGc: true });
  const pgLog = postgresLog();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  try {
    const client = httpClient(server.base, 64);
    const wsBase = server.base.replace('http', 'ws');
    const pendingAt = new Map<string, number>();
    const latencies: number[] = [];
    const postLatencies: number[] = [];
    const sockets: WebSocket[] = [];
    const lastPing = new Map<WebSocket, number>();
    let measuring = false;
    let maxHeartbeatGapMs = 0;
    let heartbeats = 0;
    const open = (token: string, sessionId: string, onMessage?: (frame: any) => void) =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(`${wsBase}/api/ws`, { headers: { authorization: `Bearer ${token}` } });
        socket.on('message', (data) => {
          const frame = JSON.parse(String(data));
          if (frame.type === 'subscribed') resolve(socket);
          onMessage?.(frame);
        });
        socket.on('ping', () => {
          const now = performance.now();
          const last = lastPing.get(socket);
          if (measuring) heartbeats++;
          if (measuring && last !== undefined) maxHeartbeatGapMs = Math.max(maxHeartbeatGapMs, now - last);
          lastPing.set(socket, now);
        });
        socket.on('open', () => socket.send(JSON.stringify({ type: 'subscribe', topic: `session:${sessionId}` })));
        socket.on('error', reject);
      });
    // Memory per socket is the marginal growth of resident memory after a full collection,
    // across all but the first tenth of the sockets, which warm up what every server pays once
    // (compiled code, pools, buffers).
    const warmUp = Math.ceil(sessions / 10);
    let before = 0;
    let warmSockets = 0;
    for (let start = 0; start < sessions; start += 50) {
      if (start >= warmUp && before === 0) {
        await new Promise((r) => setTimeout(r, 1000));
        await server.collectGarbage();
        before = rssBytes(server.pid);
        warmSockets = sockets.length;
      }
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, sessions - start) }, async (_, k) => {
          const i = start + k;
          const onMechanicSocket = (frame: any) => {
            if (frame.event?.kind !== 'message.created') return;
            const sentAt = pendingAt.get(frame.event.message.clientId);
            if (sentAt !== undefined) {
              latencies.push(performance.now() - sentAt);
              pendingAt.delete(frame.event.message.clientId);
            }
          };
          return [
            await open(accounts.customers[i]!.token, ids[i]!),
            await open(accounts.mechanics[i]!.token, ids[i]!, onMechanicSocket),
          ];
        }),
      );
      sockets.push(...batch.flat());
    }
    await new Promise((r) => setTimeout(r, 1000));
    await server.collectGarbage();
    const after = rssBytes(server.pid);
    const bytesPerSocket = Math.round((after - before) / (sockets.length - warmSockets));
    // Messages: open loop at `rate` per second, spread over the sessions (1,000 sessions at 100/s
    // is one message per session every 10 s: a lively chat).
    const metricsBefore = await scrapeMetrics(server.base); // also resets its event-loop histogram
    const pgLogOffset = logSize(pgLog);
    measuring = true;
    loop.enable();
    const started = performance.now();
    const sends: Promise<unknown>[] = [];
    for (let n = 0; n < messages; n++) {
      const due = started + (n * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const i = n % sessions;
      const clientId = crypto.randomUUID();
      const sentAt = performance.now();
      pendingAt.set(clientId, sentAt);
      sends.push(
        client
          .request('POST', `/api/sessions/${ids[i]}/messages`, accounts.customers[i]!.token, {
            body: `message ${n}`,
            clientId,
          })
          .then(() => postLatencies.push(performance.now() - sentAt)),
      );
    }
    await Promise.all(sends);
    const achievedRate = Math.round(messages / ((performance.now() - started) / 1000));
    const waitUntil = performance.now() + 5000;
    while (pendingAt.size > 0 && performance.now() < waitUntil) await new Promise((r) => setTimeout(r, 50));
    loop.disable();
    measuring = false;
    const ended = performance.now();
    const attribution = {
      serverGc: summariseGc(server.gcPauses, started, ended),
      server: summariseServer(metricsBefore, await scrapeMetrics(server.base)),
      postgres: summarisePostgres(pgLog, pgLogOffset),
    };
    for (const socket of sockets) socket.terminate();
    client.close();
    const sorted = sortNumbers(latencies);
    const sortedPosts = sortNumbers(postLatencies);
    return {
      sockets: sockets.length,
      messages: latencies.length,
      lost: pendingAt.size,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      postP50Ms: percentile(sortedPosts, 50),
      postP99Ms: percentile(sortedPosts, 99),
      bytesPerSocket,
      ratePerSec: achievedRate,
      heartbeats,
      maxHeartbeatGapMs: Math.round(maxHeartbeatGapMs),
      generatorLoopP99Ms: Math.round(loop.percentile(99) / 1e4) / 100,
      attribution,
    };
  } finally {
    await server.stop();
  }
}

/**
 * The realtime phase: `sessions` live sessions set up once, then `runs` measured runs, each on a
 * fresh server. The headline p99 is the worst of the runs; every run is printed.
 */
async function realtimeBench(options: {
  sessions: number;
  messages: number;
  rate: number;
  runs: number;
  port: number;
}) {
  const db = await createDatabase(BASE_URL);
  const env = { DATABASE_URL: db.url, AUTH_SECRET, SEED_DEMO: 'false' };
  const setupServer = await startServer(env, options.port);
  try {
    const accounts = await createAccounts(db.url, options.sessions, options.sessions);
    const ids = await setUpLiveSessions(setupServer.base, accounts, options.sessions);
    // The set-up announced thousands of events (notify and email jobs): let the set-up server
    // finish them, or the measured server would run that backlog while it is being timed.
    const settled = await waitForJobs(db.url, 180_000);
    log(`  set-up jobs finished in ${settled} ms`);
    // PostgreSQL logs the measured servers' statements of 10 ms or more (read back per run).
    if (!(await logSlowStatements(db.url, 10)) || !postgresLog()) log('  (no PostgreSQL statement log here)');
    await setupServer.stop();
    const runs: RealtimeRun[] = [];
    for (let run = 0; run < options.runs; run++) {
      const result = await realtimeRun(env, options.port, accounts, ids, options.messages, options.rate);
      log(`  run ${run + 1} of ${options.runs}:`, JSON.stringify(result));
      runs.push(result);
    }
    type Figure = { [K in keyof RealtimeRun]: RealtimeRun[K] extends number ? K : never }[keyof RealtimeRun];
    const worst = (key: Figure) => Math.max(...runs.map((r) => r[key]));
    return {
      runs: runs.length,
      sockets: runs[0]!.sockets,
      ratePerSec: Math.min(...runs.map((r) => r.ratePerSec)),
      p99Ms: worst('p99Ms'),
      p99MsByRun: runs.map((r) => r.p99Ms),
      p50Ms: worst('p50Ms'),
      postP99Ms: worst('postP99Ms'),
      lost: runs.reduce((sum, r) => sum + r.lost, 0),
      messages: runs.reduce((sum, r) => sum + r.messages, 0),
      bytesPerSocket: worst('bytesPerSocket'),
      heartbeats: Math.min(...runs.map((r) => r.heartbeats)),
      maxHeartbeatGapMs: worst('maxHeartbeatGapMs'),
      generatorLoopP99Ms: worst('generatorLoopP99Ms'),
      attributionByRun: runs.map((r) => r.attribution),
    };
  } finally {
    await setupServer.stop();
    await db.drop();
  }
}

async function startupBench() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodoctor-bench-'));
  const fresh = await startServer({ DATA_DIR: dir, DATABASE_URL: '', SEED_DEMO: 'true', AUTH_SECRET }, 4130);
  await fresh.stop();
  const existing = await startServer({ DATA_DIR: dir, DATABASE_URL: '', SEED_DEMO: 'true', AUTH_SECRET }, 4130);
  await existing.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  const db = await createDatabase(BASE_URL);
  const first = await startServer({ DATABASE_URL: db.url, AUTH_SECRET, SEED_DEMO: 'false' }, 4131);
  await first.stop();
  const again = await startServer({ DATABASE_URL: db.url, AUTH_SECRET, SEED_DEMO: 'false' }, 4131);
  await again.stop();
  await db.drop();
  return {
    pgliteNewMs: fresh.readyMs,
    pgliteMs: existing.readyMs,
    postgresFirstMs: first.readyMs,
    postgresMs: again.readyMs,
  };
}

log(
  `machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; clients ${CLIENTS}, ${SECONDS} s per phase`,
);
const one = PHASES.has('lifecycle') ? await lifecycleBench(1) : undefined;
if (one) {
  log(
    'lifecycle (1 process)',
    one.peak.cyclesPerSec,
    'cycles/s; statements per request:',
    JSON.stringify(one.recording!.perRequest),
  );
}
const two = one && WORKERS > 1 ? await lifecycleBench(WORKERS) : undefined;
if (two) log(`lifecycle (${WORKERS} processes)`, two.peak.cyclesPerSec, 'cycles/s');
const realtime =
  PHASES.has('realtime') && SESSIONS > 0
    ? await realtimeBench({ sessions: SESSIONS, messages: MESSAGES, rate: RATE, runs: RUNS, port: 4120 })
    : undefined;
if (realtime) log('realtime', JSON.stringify(realtime));
const realtime10k = PHASES.has('realtime10k')
  ? await realtimeBench({ sessions: 5000, messages: 6000, rate: 200, runs: RUNS, port: 4140 })
  : undefined;
if (realtime10k) log('realtime10k', JSON.stringify(realtime10k));
const startup = PHASES.has('startup') ? await startupBench() : undefined;
if (startup) log('startup', JSON.stringify(startup));

const result = {
  lifecycle: one && {
    cyclesPerSec: one.peak.cyclesPerSec,
    p50Ms: percentile(one.half!.latencies, 50),
    p99Ms: percentile(one.half!.latencies, 99),
    atRate: one.half!.cyclesPerSec,
    peakP99Ms: percentile(one.peak.latencies, 99),
    rawDbCyclesPerSec: one.raw!.cyclesPerSec,
    ratio: Math.round((one.peak.cyclesPerSec / one.raw!.cyclesPerSec) * 100) / 100,
    statementsPerCycle: one.recording!.lifecycle.length,
    plan: body.plan,
    captureP50Ms: one.capture!.p50Ms,
    captureP99Ms: one.capture!.p99Ms,
    capturesMeasured: one.capture!.captured,
    notCaptured: one.capture!.notCaptured,
    errors: one.peak.errors + one.half!.errors,
    ...(two ? { [`cyclesPerSecWith${WORKERS}Processes`]: two.peak.cyclesPerSec } : {}),
  },
  realtime,
  realtime10k,
  startup,
};
console.log(JSON.stringify(result));
process.exit(0);
