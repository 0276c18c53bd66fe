import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import WebSocket from 'ws';
import { gcPauseReader, type GcPause } from './attribution.js';

/** Small helpers for the benchmark: percentiles, a keep-alive HTTP client, a server process. */

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[index]! * 100) / 100;
}

export const sortNumbers = (xs: number[]) => [...xs].sort((a, b) => a - b);

export type HttpClient = {
  request: (method: string, path: string, token: string, body?: unknown) => Promise<{ status: number; body: any }>;
  close: () => void;
};

export function httpClient(base: string, maxSockets: number): HttpClient {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return {
    request: (method, path, token, body) =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            method,
            path,
            agent,
            headers: {
              authorization: `Bearer ${token}`,
              ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
            });
          },
        );
        req.on('error', reject);
        if (payload) req.write(payload);
        req.end();
      }),
    close: () => agent.destroy(),
  };
}

export type Server = {
  process: ChildProcess;
  base: string;
  pid: number;
  stop: () => Promise<void>;
  /** The server's garbage-collection pauses so far (started with `traceGc`). */
  gcPauses: GcPause[];
  /** A full garbage collection in the server, through its inspector (started with `inspect`). */
  collectGarbage: () => Promise<void>;
};

/** The V8 flags `npm start` gives the server (package.json), so that the bench measures the same. */
export const SERVER_NODE_FLAGS: string[] =
  (JSON.parse(fs.readFileSync('package.json', 'utf8')).scripts.start as string).match(/--[\w-]+=\S+/g) ?? [];

export async function startServer(
  env: Record<string, string>,
  port: number,
  options: { inspect?: boolean; traceGc?: boolean } = {},
): Promise<Server & { readyMs: number }> {
  const started = performance.now();
  // BENCH_NODE_FLAGS (e.g. "--cpu-prof") go to the server; its output then shows.
  const extra = process.env.BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  const inspectPort = port + 1000;
  const flags = [
    ...SERVER_NODE_FLAGS,
    ...extra,
    ...(options.traceGc ? ['--trace-gc'] : []),
    ...(options.inspect ? [`--inspect=127.0.0.1:${inspectPort}`] : []),
  ];
  const child = spawn(process.execPath, [...flags, 'dist/server/main.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: [
      'ignore',
      options.traceGc ? 'pipe' : extra.length > 0 ? process.stderr : 'ignore',
      options.inspect ? 'ignore' : 'inherit',
    ],
  });
  const gcPauses: GcPause[] = [];
  if (options.traceGc) child.stdout!.on('data', gcPauseReader(gcPauses));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const readyMs = Math.round(performance.now() - started);
  return {
    process: child,
    base,
    pid: child.pid!,
    readyMs,
    gcPauses,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
    collectGarbage: async () => {
      const [target] = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as {
        webSocketDebuggerUrl: string;
      }[];
      const inspector = new WebSocket(target!.webSocketDebuggerUrl);
      await new Promise((resolve, reject) => inspector.once('open', resolve).once('error', reject));
      inspector.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
      await new Promise((resolve) =>
        inspector.on('message', (data) => JSON.parse(String(data)).id === 1 && resolve(0)),
      );
      inspector.close();
    },
  };
}

/** Resident memory of a process and its children (cluster workers), in bytes. */
export function rssBytes(pid: number): number {
  const pids = [pid, ...childPids(pid)];
  let total = 0;
  for (const p of pids) {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      /* gone */
    }
  }
  return total;
}

function childPids(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createDatabase(base: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `autodoctor_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  return {
    url: databaseUrl(base, name),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export type Account = { id: string; token: string };

/**
 * Accounts for the benchmark, written straight into the tables the auth library reads (a
 * session token per user), so that preparing thousands costs no password hashing.
 */
export async function createAccounts(url: string, customers: number, mechanics: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const make = (n: number, role: string) =>
    Array.from({ length: n }, (_, i) => ({
      id: crypto.randomUUID(),
      token: crypto.randomBytes(24).toString('base64url'),
      email: `${role}-${i}-${crypto.randomBytes(3).toString('hex')}@bench.test`,
      role,
    }));
  const cs = make(customers, 'customer');
  const ms = make(mechanics, 'mechanic');
  for (const batch of chunk([...cs, ...ms], 500)) {
    await client.query(
      `INSERT INTO users (id, name, email, role) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
      [batch.map((u) => u.id), batch.map((u) => u.email), batch.map((u) => u.email), batch.map((u) => u.role)],
    );
    await client.query(
      `INSERT INTO auth_sessions (user_id, token, expires_at) SELECT u, t, now() + interval '7 days' FROM unnest($1::uuid[], $2::text[]) AS x(u, t)`,
      [batch.map((u) => u.id), batch.map((u) => u.token)],
    );
  }
  for (const batch of chunk(ms, 500)) {
    await client.query(
      `INSERT INTO mechanics (user_id, display_name, service_tier, approval_status, on_shift)
       SELECT u, 'Bench mechanic', 'virtual_only', 'approved', true FROM unnest($1::uuid[]) AS u`,
      [batch.map((u) => u.id)],
    );
  }
  await client.end();
  const strip = (u: { id: string; token: string }): Account => ({ id: u.id, token: u.token });
  return { customers: cs.map(strip), mechanics: ms.map(strip) };
}

function chunk<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
