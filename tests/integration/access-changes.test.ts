import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminActions, mechanics } from '../../src/server/db/schema.js';
import { admin, customer, mechanic, type TestUser } from '../factories/index.js';
import { acceptedSession, liveSession, pendingSession } from '../factories/sessions.js';
import { call, get, post, put } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { connect, settle, type TestSocket } from '../helpers/ws-client.js';

let t: TestApp;
let base: string;
let boss: TestUser;
const sockets: TestSocket[] = [];
const open = async (user: TestUser) => {
  const socket = await connect(base, user.headers);
  sockets.push(socket);
  return socket;
};
const subscribe = async (socket: TestSocket, topic: string) => {
  socket.send({ type: 'subscribe', topic });
  return socket.next((f) => (f.type === 'subscribed' || f.type === 'error') && f.topic === topic);
};
const say = (t: TestApp, sessionId: string, as: TestUser, body: string) =>
  call(t, 'POST', `/api/sessions/${sessionId}/messages`, { as, body: { body, clientId: crypto.randomUUID() } });

beforeAll(async () => {
  t = await createTestApp({
    hub: { heartbeatMs: 60_000, queueRefreshMs: 60_000, maxSocketsPerUser: 3, maxSubscriptionsPerSocket: 3 },
  });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  boss = await admin(t);
});
afterAll(async () => {
  for (const socket of sockets) socket.socket.terminate();
  await t.close();
});

describe('realtime access is re-checked when it changes', () => {
  it('a mechanic who released a session loses its live feed; the next mechanic gets it', async () => {
    const c = await customer(t);
    const [first, second] = [await mechanic(t), await mechanic(t)];
    const session = await acceptedSession(t, c, first);
    const feed = await open(first);
    expect((await subscribe(feed, `session:${session.id}`)).type).toBe('subscribed');
    await post(t, `/api/sessions/${session.id}/release`, first);
    const gone = await feed.next((f) => f.type === 'unsubscribed' && f.topic === `session:${session.id}`);
    expect(gone.reason).toBe('ACCESS_ENDED');
    await post(t, `/api/sessions/${session.id}/accept`, second);
    const next = await open(second);
    await subscribe(next, `session:${session.id}`);
    await say(t, session.id, c, 'Are you there?');
    await next.next((f) => f.event?.kind === 'message.created');
    await settle();
    expect(feed.events('message.created')).toEqual([]);
    // And they cannot take it back by subscribing again.
    feed.send({ type: 'subscribe', topic: `session:${session.id}` });
    const refused = await feed.next((f) => f.type === 'error' && f.topic === `session:${session.id}`);
    expect(refused.code).toBe('NOT_FOUND');
  });

  it('suspension takes every session and the queue away from the mechanic’s sockets', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const feed = await open(m);
    await subscribe(feed, `session:${session.id}`);
    await subscribe(feed, 'queue');
    const reply = await call(t, 'POST', `/api/admin/mechanics/${m.id}/suspend`, {
      as: boss,
      body: { reason: 'Complaints', endActiveSession: true },
    });
    expect(reply.status).toBe(200);
    const lost = await feed.next((f) => f.type === 'unsubscribed' && f.topic === 'queue');
    expect(lost.reason).toBe('SUSPENDED');
    await feed.next((f) => f.type === 'unsubscribed' && f.topic === `session:${session.id}`);
  });

  it('an account holds a bounded number of sockets, and a socket a bounded number of topics', async () => {
    const c = await customer(t);
    for (let i = 0; i < 3; i++) await open(c);
    const fourth = await open(c);
    expect((await fourth.closed).code).toBe(4429);
    const watcher = await open(boss);
    const sessions = await Promise.all([1, 2, 3].map(async () => (await pendingSession(t, await customer(t))).id));
    expect((await subscribe(watcher, 'user')).type).toBe('subscribed');
    expect((await subscribe(watcher, `session:${sessions[0]}`)).type).toBe('subscribed');
    expect((await subscribe(watcher, `session:${sessions[1]}`)).type).toBe('subscribed');
    const over = await subscribe(watcher, `session:${sessions[2]}`);
    expect(over).toMatchObject({ type: 'error', code: 'RATE_LIMITED' });
  });
});

describe('suspending a mechanic is coherent with their sessions (I4)', () => {
  it('is refused while they hold an accepted or live session, naming it', async () => {
    const m = await mechanic(t);
    const session = await acceptedSession(t, await customer(t), m);
    const reply = await call(t, 'POST', `/api/admin/mechanics/${m.id}/suspend`, {
      as: boss,
      body: { reason: 'Audit' },
    });
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({ code: 'MECHANIC_IN_SESSION', sessionId: session.id });
    expect((await get(t, `/api/sessions/${session.id}`, boss)).body.status).toBe('accepted');
  });

  it('with endActiveSession, ends the session and suspends in one audited action', async () => {
    const m = await mechanic(t);
    const session = await liveSession(t, await customer(t), m);
    const reply = await call(t, 'POST', `/api/admin/mechanics/${m.id}/suspend`, {
      as: boss,
      body: { reason: 'Unsafe advice', endActiveSession: true },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.approvalStatus).toBe('suspended');
    const ended = await get(t, `/api/sessions/${session.id}`, boss);
    expect(ended.body).toMatchObject({ status: 'completed', endReason: 'admin', endedBy: 'admin' });
    const audit = await t.database.db.select().from(adminActions).where(eq(adminActions.reason, 'Unsafe advice'));
    expect(audit.map((a) => a.action).sort()).toEqual(['mechanic.suspend', 'session.force_end']);
    const violations = await get(t, '/api/admin/invariants', boss);
    expect(violations.body.violations.filter((v: { sessionId: string }) => v.sessionId === session.id)).toEqual([]);
  });

  it('a suspended mechanic can no longer act in any session', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    // As if the suspension had raced the session (the state the old code allowed).
    await t.database.db.update(mechanics).set({ approvalStatus: 'suspended' }).where(eq(mechanics.userId, m.id));
    expect((await say(t, session.id, m, 'still here')).status).toBe(403);
    expect((await post(t, `/api/sessions/${session.id}/join`, m)).status).toBe(403);
    expect((await post(t, `/api/sessions/${session.id}/end`, m)).status).toBe(403);
    const report = await put(t, `/api/sessions/${session.id}/report`, m, {
      summary: 's',
      findings: 'f',
      severity: 'info',
      recommendations: [],
      followUp: 'none',
      submit: true,
    });
    expect(report.status).toBe(403);
    const upload = await call(t, 'POST', `/api/sessions/${session.id}/attachments`, {
      as: m,
      headers: { 'content-type': 'multipart/form-data; boundary=B' },
      rawBody: '--B\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4\r\n--B--\r\n',
    });
    expect(upload.status).toBe(403);
    expect((await say(t, session.id, c, 'the customer can still write')).status).toBe(201);
  });
});

describe('the queue is computed once per mechanic, not once per socket', () => {
  it('three sockets of one mechanic: one scan per change, each socket told', async () => {
    const m = await mechanic(t);
    const feeds = [await open(m), await open(m), await open(m)];
    for (const feed of feeds) await subscribe(feed, 'queue');
    await settle();
    const before = t.hub.stats().queueScans;
    const created = await pendingSession(t, await customer(t));
    for (const feed of feeds) {
      await feed.next((f) => f.event?.kind === 'queue.added' && f.event.session.id === created.id);
    }
    // Only this mechanic subscribes to the queue in this file by now: one scan, three sockets told.
    expect(t.hub.stats().queueScans - before).toBe(1);
  });
});
