import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_SERIALIZERS, serializeError } from '../../src/server/platform/logging.js';
import { admin, customer, mechanic, sessionBody, type TestUser } from '../factories/index.js';
import { liveSession } from '../factories/sessions.js';
import { call, get } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { connect } from '../helpers/ws-client.js';

/** Every line the app logs, for the test that reads them. */
const logLines: string[] = [];
const logger = pino(
  { level: 'info', serializers: LOG_SERIALIZERS },
  new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
);

let t: TestApp;
let c: TestUser;
let m: TestUser;
let boss: TestUser;
let live: { id: string };
beforeAll(async () => {
  t = await createTestApp({ logger });
  c = await customer(t);
  m = await mechanic(t);
  boss = await admin(t);
  live = await liveSession(t, c, m);
});
afterAll(() => t.close());

const NUL = 'bad\u0000text';
const LONE = 'bad\uD800text';

function expectFieldError(reply: { status: number; body: any; headers: Record<string, unknown> }, path: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(400);
  expect(String(reply.headers['content-type'])).toContain('application/problem+json');
  expect(reply.body.code).toBe('VALIDATION_FAILED');
  expect(reply.body.errors.map((e: { path: string }) => e.path)).toContain(path);
}

describe('NUL characters and lone surrogates are a 400 with the field, never a 500', () => {
  const cases = () =>
    [
      [
        'concern',
        'POST',
        '/api/sessions',
        c,
        (s: string) => sessionBody({ concern: `Grinding ${s} noise` }),
        'body.concern',
      ],
      [
        'vehicle',
        'POST',
        '/api/sessions',
        c,
        (s: string) => sessionBody({ vehicle: { year: 2016, make: s, model: 'Corolla' } }),
        'body.vehicle.make',
      ],
      ['plan', 'POST', '/api/sessions', c, (s: string) => sessionBody({ plan: s }), 'body.plan'],
      [
        'message',
        'POST',
        `/api/sessions/${live.id}/messages`,
        c,
        (s: string) => ({ body: s, clientId: crypto.randomUUID() }),
        'body.body',
      ],
      [
        'report',
        'PUT',
        `/api/sessions/${live.id}/report`,
        m,
        (s: string) => ({
          summary: s,
          findings: 'ok',
          severity: 'info',
          recommendations: [],
          followUp: 'none',
          submit: false,
        }),
        'body.summary',
      ],
      [
        'review',
        'POST',
        `/api/sessions/${live.id}/review`,
        c,
        (s: string) => ({ rating: 5, comment: s }),
        'body.comment',
      ],
      [
        'apply',
        'POST',
        '/api/mechanics/apply',
        c,
        (s: string) => ({ displayName: s, serviceTier: 'virtual_only', brands: [], yearsExperience: 1, bio: '' }),
        'body.displayName',
      ],
      [
        'workshop',
        'POST',
        '/api/admin/workshops',
        boss,
        (s: string) => ({ name: s, city: 'Springfield', country: 'US' }),
        'body.name',
      ],
      ['end reason', 'POST', `/api/sessions/${live.id}/end`, c, (s: string) => ({ reason: s }), 'body.reason'],
    ] as const;

  it.each([
    ['NUL', NUL],
    ['a lone surrogate', LONE],
  ])('%s in each text field', async (_name, bad) => {
    for (const [, method, url, as, body, path] of cases()) {
      expectFieldError(await call(t, method, url, { as, body: body(bad) }), path);
    }
    // Still open, still the same: nothing was written.
    expect((await get(t, `/api/sessions/${live.id}`, c)).body.status).toBe('live');
  });

  it('in the inspector’s email and any query string', async () => {
    expectFieldError(
      await get(t, `/api/admin/mechanics/inspect?email=${encodeURIComponent(NUL)}`, boss),
      'query.email',
    );
  });

  it('emoji and accents are ordinary text', async () => {
    const reply = await call(t, 'POST', `/api/sessions/${live.id}/messages`, {
      as: c,
      body: { body: 'Voilà 🚗 — thanks', clientId: crypto.randomUUID() },
    });
    expect(reply.status).toBe(201);
  });
});

describe('malformed requests the router and the upload parser see first', () => {
  it('a 500-character id is a problem response, not the router’s own 414 text', async () => {
    const reply = await get(t, `/api/sessions/${'a'.repeat(500)}`, c);
    expect(reply.status).toBe(400);
    expect(String(reply.headers['content-type'])).toContain('application/problem+json');
    expect(reply.body.code).toBe('VALIDATION_FAILED');
  });

  it('multipart without a boundary, or cut short, is a 400', async () => {
    const url = `/api/sessions/${live.id}/attachments`;
    const noBoundary = await call(t, 'POST', url, {
      as: c,
      headers: { 'content-type': 'multipart/form-data' },
      rawBody: 'whatever',
    });
    expect(noBoundary.status).toBe(400);
    expect(noBoundary.body.code).toBe('VALIDATION_FAILED');
    const truncated = await call(t, 'POST', url, {
      as: c,
      headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
      rawBody:
        '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n',
    });
    expect(truncated.status).toBe(400);
    expect(truncated.body.code).toBe('VALIDATION_FAILED');
  });

  it('an empty JSON body ends a session like no body at all, and the reason given is kept', async () => {
    const owner = await customer(t);
    const first = await liveSession(t, owner, await mechanic(t));
    const reply = await call(t, 'POST', `/api/sessions/${first.id}/end`, {
      as: owner,
      headers: { 'content-type': 'application/json' },
      rawBody: '',
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.session.status).toBe('completed');
    const second = await liveSession(t, owner, await mechanic(t));
    await call(t, 'POST', `/api/sessions/${second.id}/end`, { as: owner, body: { reason: 'The noise is gone' } });
    const events = await get(t, `/api/sessions/${second.id}/events`, owner);
    const ended = events.body.items.find((e: { type: string }) => e.type === 'session.ended');
    expect(ended.payload.reason).toBe('The noise is gone');
  });
});

describe('error logs carry the code, the SQL state and the request id — never what users wrote', () => {
  it('a failing statement logs no statement, no parameters and no message text', async () => {
    const secret = `my-private-concern-${crypto.randomUUID()}`;
    await t.database.db.execute(sql`ALTER TABLE messages RENAME TO messages_away`);
    try {
      const reply = await call(t, 'POST', `/api/sessions/${live.id}/messages`, {
        as: c,
        body: { body: secret, clientId: crypto.randomUUID() },
      });
      expect(reply.status).toBe(500);
      expect(JSON.stringify(reply.body)).not.toContain(secret);
    } finally {
      await t.database.db.execute(sql`ALTER TABLE messages_away RENAME TO messages`);
    }
    const failure = logLines.map((line) => JSON.parse(line)).findLast((entry) => entry.msg === 'request failed');
    expect(failure).toMatchObject({ code: 'INTERNAL', reqId: expect.any(String), err: { sqlState: '42P01' } });
    expect(logLines.join('\n')).not.toContain(secret);
    expect(logLines.join('\n')).not.toMatch(/INSERT INTO|Failed query/);
  });

  it('the serializer keeps the facts of a database error and drops its text', () => {
    const cause = Object.assign(new Error('Key (email)=(someone@example.test) already exists.'), {
      code: '23505',
      constraint: 'users_email_lower_key',
      table: 'users',
    });
    const error = Object.assign(new Error('Failed query: insert into users …\nparams: someone@example.test'), {
      name: 'DrizzleQueryError',
      query: 'insert into users …',
      cause,
    });
    const logged = JSON.stringify(serializeError(error));
    expect(logged).not.toContain('someone@example.test');
    expect(serializeError(error)).toMatchObject({
      sqlState: '23505',
      constraint: 'users_email_lower_key',
      table: 'users',
    });
  });
});

describe('malformed WebSocket frames are VALIDATION_FAILED, never INTERNAL', () => {
  it('a topic of dashes, 5,000 levels of nesting, NUL', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const socket = await connect(base, m.headers);
    try {
      const frames = [
        JSON.stringify({ type: 'subscribe', topic: `session:${'-'.repeat(36)}` }),
        `{"type":"rtc.signal","sessionId":"${live.id}","data":${'['.repeat(5000)}${']'.repeat(5000)}}`,
        `{"type":"rtc.signal","sessionId":"${live.id}","data":{"sdp":"a\\u0000b"}}`,
        `{"type":"typing","sessionId":"${live.id}\\u0000"}`,
      ];
      for (const [index, frame] of frames.entries()) {
        socket.send(frame);
        const reply = await socket.next(
          (f) => f.type === 'error' && socket.frames.filter((x) => x.type === 'error').length > index,
        );
        expect(reply.code, frame.slice(0, 60)).toBe('VALIDATION_FAILED');
      }
      expect(socket.frames.filter((f) => f.code === 'INTERNAL')).toEqual([]);
    } finally {
      await socket.close();
    }
  });
});
