import net from 'node:net';
import { Writable } from 'node:stream';
import { like } from 'drizzle-orm';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/server/config.js';
import { defaultLogFormat } from '../../src/server/platform/logging.js';
import { rateLimits } from '../../src/server/db/schema.js';
import { signUp } from '../factories/index.js';
import { call } from '../helpers/http.js';
import { createTestApp, isPostgres } from '../helpers/test-app.js';

describe('slow clients', () => {
  it('a request whose body never finishes arriving is dropped after REQUEST_TIMEOUT_MS', async () => {
    const t = await createTestApp({ env: { REQUEST_TIMEOUT_MS: '1000' } });
    try {
      const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
      const started = Date.now();
      let answer = '';
      socket.on('data', (chunk) => (answer += String(chunk)));
      socket.write(
        'POST /api/plans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      );
      await new Promise((resolve) => socket.on('close', resolve));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(answer).toMatch(/^HTTP\/1.1 408/);
    } finally {
      await t.close();
    }
  });
});

describe('behind a load balancer (TRUST_PROXY)', () => {
  const signInFrom = (t: Awaited<ReturnType<typeof createTestApp>>, email: string) =>
    call(t, 'POST', '/api/auth/sign-in/email', {
      body: { email, password: 'wrong-password-here' },
      headers: { 'x-forwarded-for': '203.0.113.9' },
      remoteAddress: '127.0.0.1',
    });

  it('client addresses come from X-Forwarded-For only when the proxy is trusted', async () => {
    const trusting = await createTestApp({ env: { TRUST_PROXY: '127.0.0.1' } });
    try {
      await signInFrom(trusting, (await signUp(trusting)).email);
      const rows = await trusting.database.db.select().from(rateLimits).where(like(rateLimits.key, '%203.0.113.9%'));
      expect(rows).toHaveLength(1);
    } finally {
      await trusting.close();
    }
    const direct = await createTestApp();
    try {
      await signInFrom(direct, (await signUp(direct)).email);
      const spoofed = await direct.database.db.select().from(rateLimits).where(like(rateLimits.key, '%203.0.113.9%'));
      expect(spoofed).toHaveLength(0);
    } finally {
      await direct.close();
    }
  });

  it('/metrics then needs the METRICS_TOKEN or an admin, even from loopback', async () => {
    const token = 'metrics-token-0123456789';
    const t = await createTestApp({ env: { TRUST_PROXY: '1', METRICS_TOKEN: token } });
    try {
      const anonymous = await call(t, 'GET', '/metrics', { remoteAddress: '127.0.0.1' });
      expect(anonymous.status).toBe(401);
      const scraper = await call(t, 'GET', '/metrics', {
        remoteAddress: '127.0.0.1',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(scraper.status).toBe(200);
      expect(String(scraper.body)).toContain('http_requests_total');
    } finally {
      await t.close();
    }
    const local = await createTestApp();
    try {
      expect((await call(local, 'GET', '/metrics', { remoteAddress: '127.0.0.1' })).status).toBe(200);
    } finally {
      await local.close();
    }
  });

  it.runIf(isPostgres())(
    'on PostgreSQL, says how long requests waited for a pooled connection since the last scrape',
    async () => {
      const t = await createTestApp();
      try {
        const scrape = async () => String((await call(t, 'GET', '/metrics', { remoteAddress: '127.0.0.1' })).body);
        const figure = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
        await scrape();
        await Promise.all(Array.from({ length: 5 }, () => signUp(t)));
        const after = await scrape();
        expect(figure(after, 'db_pool_acquisitions')).toBeGreaterThanOrEqual(5);
        expect(figure(after, 'db_pool_wait_max_seconds')).toBeGreaterThanOrEqual(0);
        expect(figure(after, 'db_pool_waits_over_10ms')).toBeGreaterThanOrEqual(0);
        // Taken and reset: a scrape right after counts only what happened since (its own request's few).
        expect(figure(await scrape(), 'db_pool_acquisitions')).toBeLessThan(figure(after, 'db_pool_acquisitions'));
      } finally {
        await t.close();
      }
    },
  );
});

describe('request logs', () => {
  it('one line per answered request, with method, path (no query), status and time; probes at debug', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const t = await createTestApp({ logger: pino({ level: 'info' }, sink) });
    try {
      await call(t, 'GET', '/api/plans?secret=1');
      await call(t, 'GET', '/healthz');
      const requests = lines.filter((l) => 'status' in l);
      expect(requests).toEqual([
        expect.objectContaining({
          method: 'GET',
          path: '/api/plans',
          status: 200,
          msg: expect.stringMatching(/^GET \/api\/plans 200 \(\d+ ms\)$/),
        }),
      ]);
      expect(lines.some((l) => l.msg === 'incoming request' || l.msg === 'request completed')).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('LOG_FORMAT picks JSON or readable lines; unset, a terminal gets readable ones', () => {
    expect(parseConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(parseConfig({}).logFormat).toBeNull();
    expect(() => parseConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
    expect(defaultLogFormat(true)).toBe('pretty');
    expect(defaultLogFormat(false)).toBe('json');
  });
});
