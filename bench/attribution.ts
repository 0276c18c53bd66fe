import fs from 'node:fs';
import pg from 'pg';

/*
 * Where a latency tail comes from, measured over one window of the realtime phase: the server's
 * own garbage-collection pauses (from its `--trace-gc` lines), its event-loop delay and request
 * times (from its /metrics), and PostgreSQL's slow statements and checkpoints (from its log, with
 * `log_min_duration_statement` set on the bench's database). Each source is optional: what
 * cannot be read here is reported as null rather than guessed.
 */

/** One pause of the server's main thread for garbage collection, as `--trace-gc` prints it. */
export type GcPause = { at: number; kind: string; ms: number };

const GC_LINE = /(Scavenge|Mark-Compact(?: \(reduce\))?|Minor Mark-Sweep|Mark-Sweep)\b.*?MB, ([\d.]+) \/ [\d.]+ ms/;

/** Parses `--trace-gc` output as it arrives, stamping each pause with the bench's clock. */
export function gcPauseReader(into: GcPause[]) {
  let rest = '';
  return (chunk: Buffer | string) => {
    const lines = (rest + String(chunk)).split('\n');
    rest = lines.pop() ?? '';
    const at = performance.now();
    for (const line of lines) {
      const found = GC_LINE.exec(line);
      if (found) into.push({ at, kind: found[1]!, ms: Number(found[2]) });
    }
  };
}

export type GcSummary = { pauses: number; over5Ms: number; over10Ms: number; maxMs: number; totalMs: number };

export function summariseGc(pauses: GcPause[], from: number, to: number): GcSummary {
  const inWindow = pauses.filter((p) => p.at >= from && p.at <= to).map((p) => p.ms);
  return {
    pauses: inWindow.length,
    over5Ms: inWindow.filter((ms) => ms >= 5).length,
    over10Ms: inWindow.filter((ms) => ms >= 10).length,
    maxMs: Math.round(Math.max(0, ...inWindow) * 100) / 100,
    totalMs: Math.round(inWindow.reduce((a, b) => a + b, 0)),
  };
}

/** One Prometheus sample line's value by metric name and (some of) its labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}

export async function scrapeMetrics(base: string): Promise<string> {
  const response = await fetch(`${base}/metrics`);
  return response.ok ? response.text() : '';
}

const MESSAGE_ROUTE = { method: 'POST', route: '/api/sessions/:id/messages' };

/**
 * The server's view of the window between two scrapes: its event-loop delay and its waits for a
 * pooled connection (both reset at each scrape, so the second scrape covers the window alone) and
 * how many message POSTs it took more than 10 and 25 ms to answer (its route histogram, by bucket).
 */
export function summariseServer(before: string, after: string) {
  const count = (text: string, le: string) =>
    sample(text, 'http_request_duration_seconds_bucket', { ...MESSAGE_ROUTE, le }) ?? 0;
  const posts = count(after, '+Inf') - count(before, '+Inf');
  const over = (le: string) => posts - (count(after, le) - count(before, le));
  const seconds = (name: string) => {
    const value = sample(after, name);
    return value === null ? null : Math.round(value * 100_000) / 100;
  };
  return {
    loopP99Ms: seconds('nodejs_eventloop_lag_p99_seconds'),
    loopMaxMs: seconds('nodejs_eventloop_lag_max_seconds'),
    posts,
    postsOver10Ms: over('0.01'),
    postsOver25Ms: over('0.025'),
    /** Checkouts of a pooled connection that waited 10 ms or more, and the longest wait. */
    poolWaitsOver10Ms: sample(after, 'db_pool_waits_over_10ms'),
    poolWaitMaxMs: seconds('db_pool_wait_max_seconds'),
  };
}

/** PostgreSQL's log, when this machine has it where Debian puts it (or BENCH_PG_LOG says). */
export function postgresLog(): string | null {
  const candidates = process.env.BENCH_PG_LOG
    ? [process.env.BENCH_PG_LOG]
    : fs.existsSync('/var/log/postgresql')
      ? fs
          .readdirSync('/var/log/postgresql')
          .filter((f) => f.endsWith('.log'))
          .map((f) => `/var/log/postgresql/${f}`)
      : [];
  for (const file of candidates) {
    try {
      fs.accessSync(file, fs.constants.R_OK);
      return file;
    } catch {
      // not readable here
    }
  }
  return null;
}

/** Logs every statement of the bench's database that takes `ms` or more (new connections). */
export async function logSlowStatements(url: string, ms: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`ALTER DATABASE "${client.database}" SET log_min_duration_statement = ${Number(ms)}`);
    return true;
  } catch {
    return false; // not a superuser: no statement log
  } finally {
    await client.end();
  }
}

export type PostgresSummary = { slowStatements: number; slowestMs: number; slowest: string[]; checkpoints: number };

/** What PostgreSQL logged after `offset` bytes of its log: slow statements and checkpoints. */
export function summarisePostgres(file: string | null, offset: number): PostgresSummary | null {
  if (!file) return null;
  const size = fs.statSync(file).size;
  if (size <= offset) return { slowStatements: 0, slowestMs: 0, slowest: [], checkpoints: 0 };
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(size - offset);
  fs.readSync(fd, buffer, 0, buffer.length, offset);
  fs.closeSync(fd);
  const slow: { ms: number; text: string }[] = [];
  let checkpoints = 0;
  for (const line of buffer.toString('utf8').split('\n')) {
    const found = /duration: ([\d.]+) ms\s+(?:statement|execute [^:]*|bind [^:]*|parse [^:]*): (.*)$/.exec(line);
    if (found) slow.push({ ms: Number(found[1]), text: found[2]!.replace(/\s+/g, ' ').slice(0, 90) });
    if (/checkpoint (starting|complete)/.test(line)) checkpoints++;
  }
  slow.sort((a, b) => b.ms - a.ms);
  return {
    slowStatements: slow.length,
    slowestMs: slow[0]?.ms ?? 0,
    slowest: slow.slice(0, 3).map((s) => `${Math.round(s.ms)} ms ${s.text}`),
    checkpoints,
  };
}

export const logSize = (file: string | null) => (file ? fs.statSync(file).size : 0);
