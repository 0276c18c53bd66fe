import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOnce } from '../../src/server/jobs/sweeper.js';
import { admin, customer, mechanic, paidSessionBody } from '../factories/index.js';
import { acceptedSession, liveSession, pendingSession } from '../factories/sessions.js';
import { get, post } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { connect, settle, type TestSocket } from '../helpers/ws-client.js';

let t: TestApp;
let base: string;
const sockets: TestSocket[] = [];
const open = async (headers: Record<string, string>) => {
  const socket = await connect(base, headers);
  sockets.push(socket);
  return socket;
};
const subscribe = async (socket: TestSocket, topic: string, after?: number) => {
  socket.send({ type: 'subscribe', topic, ...(after !== undefined ? { after } : {}) });
  return socket.next((f) => (f.type === 'subscribed' || f.type === 'error') && f.topic === topic);
};

beforeAll(async () => {
  t = await createTestApp({ hub: { heartbeatMs: 60_000, queueRefreshMs: 60_000 } });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const socket of sockets) socket.socket.terminate();
  await t.close();
});

describe('authentication and authorisation', () => {
  it('refuses the upgrade without a session', async () => {
    await expect(connect(base)).rejects.toThrow(/401/);
  });

  it('closes the connection after refusing an upgrade', async () => {
    const { port } = new URL(base);
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.write(
      'GET /api/ws HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    let response = '';
    socket.on('data', (chunk) => (response += chunk));
    await new Promise((resolve) => socket.on('close', resolve));
    expect(response).toMatch(/^HTTP\/1.1 401/);
  });

  it('refuses a cookie upgrade from a foreign page', async () => {
    const c = await customer(t);
    await expect(connect(base, { ...c.headers, origin: 'https://evil.example', authorization: '' })).rejects.toThrow();
  });

  it('authorises each topic like HTTP: participants and admins see a session, others get an error and no data', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await acceptedSession(t, c, m);
    for (const [user, expected] of [
      [c, 'subscribed'],
      [m, 'subscribed'],
      [await admin(t), 'subscribed'],
      [await customer(t), 'error'],
      [await mechanic(t), 'error'],
    ] as const) {
      const socket = await open(user.headers);
      const answer = await subscribe(socket, `session:${session.id}`);
      expect(answer.type).toBe(expected);
      if (expected === 'error') expect(answer.code).toBe('NOT_FOUND');
    }
    const customerSocket = await open((await customer(t)).headers);
    expect((await subscribe(customerSocket, 'queue')).code).toBe('FORBIDDEN');
    expect((await subscribe(customerSocket, 'user')).type).toBe('subscribed');
  });
});

describe('chat and session updates', () => {
  it('a message posted over HTTP reaches the other participant’s socket, once, with a cursor', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const mechanicSocket = await open(m.headers);
    const subscribed = await subscribe(mechanicSocket, `session:${session.id}`);
    const sent = await post(t, `/api/sessions/${session.id}/messages`, c, {
      body: 'Can you hear me?',
      clientId: crypto.randomUUID(),
    });
    const frame = await mechanicSocket.next((f) => f.event?.kind === 'message.created');
    expect(frame.event.message).toMatchObject({ id: sent.body.id, seq: 1, body: 'Can you hear me?' });
    expect(frame.cursor).toBeGreaterThan(subscribed.cursor!);
    await settle();
    expect(mechanicSocket.events('message.created')).toHaveLength(1);
  });

  it('status changes arrive as session.updated on the session and user topics', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await pendingSession(t, c);
    const customerSocket = await open(c.headers);
    await subscribe(customerSocket, 'user');
    await subscribe(customerSocket, `session:${session.id}`);
    await post(t, `/api/sessions/${session.id}/accept`, m);
    const update = await customerSocket.next((f) => f.topic === 'user' && f.event?.session?.status === 'accepted');
    expect(update.event.session.mechanicId).toBe(m.id);
    await customerSocket.next((f) => f.topic === `session:${session.id}` && f.event?.session?.status === 'accepted');
  });

  it('a client that reconnects with its cursor gets what it missed, in order, and nothing twice', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const first = await open(c.headers);
    await subscribe(first, `session:${session.id}`);
    await post(t, `/api/sessions/${session.id}/messages`, m, { body: 'one', clientId: crypto.randomUUID() });
    const seen = await first.next((f) => f.event?.kind === 'message.created');
    await first.close();
    for (const body of ['two', 'three']) {
      await post(t, `/api/sessions/${session.id}/messages`, m, { body, clientId: crypto.randomUUID() });
    }
    const second = await open(c.headers);
    await subscribe(second, `session:${session.id}`, seen.cursor);
    await second.next((f) => f.event?.message?.body === 'three');
    await post(t, `/api/sessions/${session.id}/messages`, m, { body: 'four', clientId: crypto.randomUUID() });
    await second.next((f) => f.event?.message?.body === 'four');
    await settle();
    const bodies = second.events('message.created').map((f) => f.event.message.body);
    expect(bodies).toEqual(['two', 'three', 'four']);
    const cursors = second.frames.filter((f) => f.type === 'event' && f.cursor !== undefined).map((f) => f.cursor!);
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
  });

  it('fan-out follows each socket’s own subscriptions: unsubscribing or closing one leaves the others', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const topic = `session:${session.id}`;
    const [phone, laptop, leaving] = [await open(c.headers), await open(c.headers), await open(c.headers)];
    for (const socket of [phone, laptop, leaving]) {
      await subscribe(socket, 'user');
      await subscribe(socket, topic);
    }
    phone.send({ type: 'unsubscribe', topic });
    await phone.next((f) => f.type === 'unsubscribed' && f.topic === topic);
    const unsubscribedAt = phone.frames.length;
    await leaving.close();
    await post(t, `/api/sessions/${session.id}/messages`, m, { body: 'still there?', clientId: crypto.randomUUID() });
    await laptop.next((f) => f.event?.message?.body === 'still there?');
    await post(t, `/api/sessions/${session.id}/end`, m);
    await laptop.next((f) => f.topic === topic && f.event?.session?.status === 'completed');
    await phone.next((f) => f.topic === 'user' && f.event?.session?.status === 'completed');
    await settle();
    expect(phone.events('message.created')).toHaveLength(0);
    expect(phone.frames.slice(unsubscribedAt).filter((f) => f.topic === topic)).toHaveLength(0);
    expect(laptop.events('message.created')).toHaveLength(1);
    expect(laptop.frames.filter((f) => f.topic === 'user' && f.event?.session?.status === 'completed')).toHaveLength(1);
  });
});

describe('the live queue follows eligibility', () => {
  it('queue.added to eligible mechanics only, queue.removed when taken or when they go off shift', async () => {
    const watcher = await mechanic(t);
    const virtual = await mechanic(t, { tier: 'virtual_only' });
    const watcherSocket = await open(watcher.headers);
    const virtualSocket = await open(virtual.headers);
    await subscribe(watcherSocket, 'queue');
    await subscribe(virtualSocket, 'queue');

    const diag = await pendingSession(t, await customer(t), { plan: 'diagnostic' });
    const partner = await mechanic(t, { tier: 'workshop_partner' });
    const partnerSocket = await open(partner.headers);
    await subscribe(partnerSocket, 'queue');
    await partnerSocket.next((f) => f.event?.kind === 'queue.added' && f.event.session.id === diag.id);

    const quick = await pendingSession(t, await customer(t));
    await watcherSocket.next((f) => f.event?.kind === 'queue.added' && f.event.session.id === quick.id);
    await virtualSocket.next((f) => f.event?.kind === 'queue.added' && f.event.session.id === quick.id);
    await settle();
    expect(virtualSocket.events('queue.added').some((f) => f.event.session.id === diag.id)).toBe(false); // TIER_REQUIRED

    await post(t, `/api/sessions/${quick.id}/accept`, partner);
    await watcherSocket.next((f) => f.event?.kind === 'queue.removed' && f.event.sessionId === quick.id);
    await post(t, '/api/mechanic/shift', virtual, { onShift: false });
    await virtualSocket.next((f) => f.event?.kind === 'queue.removed');
    expect((await get(t, '/api/mechanic/queue', virtual)).body.blockedBy).toBe('OFF_SHIFT');
  });
});

describe('presence, typing, signalling, timers', () => {
  it('sockets mark participants connected; both gone past the abandon window → the sweeper completes the session', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const cs = await open(c.headers);
    const ms = await open(m.headers);
    await subscribe(cs, `session:${session.id}`);
    await subscribe(ms, `session:${session.id}`);
    await cs.next((f) => f.event?.kind === 'presence' && f.event.userId === m.id && f.event.connected === true);
    const connected = (await get(t, `/api/sessions/${session.id}`, await admin(t))).body.participants;
    expect(connected.every((p: { connected: boolean }) => p.connected)).toBe(true);
    await ms.close();
    await cs.next((f) => f.event?.kind === 'presence' && f.event.userId === m.id && f.event.connected === false);
    await cs.close();
    await settle();
    t.clock.advanceSeconds(301);
    await sweepOnce(t.ctx);
    const observed = await get(t, `/api/sessions/${session.id}`, await admin(t));
    expect(observed.body).toMatchObject({ status: 'completed', endReason: 'abandoned' });
    expect(observed.body.participants.some((p: { connected: boolean }) => p.connected)).toBe(false);
  });

  it('typing reaches the other side; signals go only between the two participants', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const cs = await open(c.headers);
    const ms = await open(m.headers);
    const boss = await open((await admin(t)).headers);
    for (const s of [cs, ms, boss]) await subscribe(s, `session:${session.id}`);
    cs.send({ type: 'typing', sessionId: session.id });
    await ms.next((f) => f.event?.kind === 'typing' && f.event.userId === c.id);
    const offer = { sdp: 'v=0 fake offer', type: 'offer' };
    ms.send({ type: 'rtc.signal', sessionId: session.id, data: offer });
    const signal = await cs.next((f) => f.event?.kind === 'rtc.signal');
    expect(signal.event).toEqual({ kind: 'rtc.signal', from: m.id, data: offer });
    const big = { sdp: 'x'.repeat(20_000), type: 'offer' }; // beyond a NOTIFY payload: relayed by id
    ms.send({ type: 'rtc.signal', sessionId: session.id, data: big });
    await cs.next((f) => f.event?.kind === 'rtc.signal' && f.event.data.sdp.length === 20_000);
    await settle();
    expect(boss.events('rtc.signal')).toHaveLength(0);
    const stranger = await open((await customer(t)).headers);
    stranger.send({ type: 'rtc.signal', sessionId: session.id, data: offer });
    expect((await stranger.next((f) => f.type === 'error')).code).toBe('NOT_FOUND');
  });

  it('timer.warning at 5 and 1 minutes left, once each', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m); // quick plan: 30 minutes
    const cs = await open(c.headers);
    await subscribe(cs, `session:${session.id}`);
    const keepAlive = async () => {
      await get(t, `/api/sessions/${session.id}`, c);
      await get(t, `/api/sessions/${session.id}`, m);
    };
    let elapsedSeconds = 0;
    for (const minute of [20, 25, 26, 28, 29, 29.5]) {
      t.clock.advanceSeconds(minute * 60 - elapsedSeconds);
      elapsedSeconds = minute * 60;
      await keepAlive();
      await sweepOnce(t.ctx);
      await sweepOnce(t.ctx);
    }
    await cs.next((f) => f.event?.kind === 'timer.warning' && f.event.minutesLeft === 1);
    await settle();
    expect(cs.events('timer.warning').map((f) => f.event.minutesLeft)).toEqual([5, 1]);
  });
});

describe('bad frames never crash the process', () => {
  it('non-JSON, unknown types and bad fields get error frames; oversize and floods disconnect', async () => {
    const c = await customer(t);
    const s = await open(c.headers);
    s.send('not json');
    expect((await s.next((f) => f.type === 'error')).code).toBe('VALIDATION_FAILED');
    s.send({ type: 'launch-missiles' });
    s.send({ type: 'subscribe', topic: 'session:nope' });
    // Topics are exact: no upper-case variant that would subscribe to nothing, or to another branch.
    s.send({ type: 'subscribe', topic: 'USER' });
    s.send({ type: 'subscribe', topic: `SESSION:${crypto.randomUUID()}` });
    s.send({ type: 'subscribe', topic: `session:${crypto.randomUUID().toUpperCase()}` });
    s.send({ type: 'ping' });
    await s.next((f) => f.type === 'pong');
    expect(s.frames.filter((f) => f.type === 'error').map((f) => f.code)).toEqual(Array(6).fill('VALIDATION_FAILED'));

    const big = await open(c.headers);
    big.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(70 * 1024) }));
    expect((await big.closed).code).toBe(1009);

    const flood = await open(c.headers);
    for (let i = 0; i < 200; i++) flood.send({ type: 'ping' });
    expect((await flood.closed).code).toBe(1008);

    expect((await get(t, '/healthz')).status).toBe(200);
    const fresh = await open(c.headers);
    fresh.send({ type: 'ping' });
    await fresh.next((f) => f.type === 'pong');
  });
});

describe('sessions created through HTTP appear live', () => {
  it('a queue subscriber sees the session created right after subscribing', async () => {
    const m = await mechanic(t);
    const ms = await open(m.headers);
    await subscribe(ms, 'queue');
    const c = await customer(t);
    const created = await post(t, '/api/sessions', c, await paidSessionBody(t, c, { urgent: true }));
    await ms.next((f) => f.event?.kind === 'queue.added' && f.event.session.id === created.body.id);
  });
});
