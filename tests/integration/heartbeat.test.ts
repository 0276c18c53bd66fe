import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionParticipants } from '../../src/server/db/schema.js';
import { customer, mechanic } from '../factories/index.js';
import { liveSession } from '../factories/sessions.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { connect, settle, type TestSocket } from '../helpers/ws-client.js';

// A round of 300 ms: three ticks of 100 ms, each with its share of the sockets and participants.
const HEARTBEAT_MS = 300;

let t: TestApp;
let base: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  t = await createTestApp({ hub: { heartbeatMs: HEARTBEAT_MS, queueRefreshMs: 60_000 } });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const socket of sockets) socket.socket.terminate();
  await t.close();
});

/** Polls `read` until `done` holds (database writes of the heartbeat are asynchronous). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await settle(50);
  }
}

const lastSeen = async (sessionId: string, userId: string) => {
  const [row] = await t.database.db
    .select()
    .from(sessionParticipants)
    .where(and(eq(sessionParticipants.sessionId, sessionId), eq(sessionParticipants.userId, userId)));
  return row!;
};

describe('the socket heartbeat', () => {
  it('keeps every present participant’s last_seen_at fresh, a share of them per tick', async () => {
    const live = [];
    for (let i = 0; i < 3; i++) {
      const c = await customer(t);
      const m = await mechanic(t);
      const session = await liveSession(t, c, m);
      const socket = await connect(base, c.headers);
      sockets.push(socket);
      socket.send({ type: 'subscribe', topic: `session:${session.id}` });
      await socket.next((f) => f.event?.kind === 'presence' && f.event.connected === true);
      live.push({ session, c, m });
    }
    t.clock.advanceSeconds(250);
    await settle(HEARTBEAT_MS * 2 + 100); // two rounds: every tick has run at least once
    for (const { session, c, m } of live) {
      const row = await eventually(
        () => lastSeen(session.id, c.id),
        (r) => r.lastSeenAt?.getTime() === t.clock.now().getTime(),
      );
      expect(row.lastSeenAt?.getTime()).toBe(t.clock.now().getTime());
      expect(row.connected).toBe(true);
      // The mechanic has no socket: the heartbeat does not make them present.
      expect((await lastSeen(session.id, m.id)).lastSeenAt?.getTime()).toBeLessThan(t.clock.now().getTime());
    }
  });

  it('drops a socket that stops answering pings, and marks its participant away', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const silent = await connect(base, c.headers, { autoPong: false });
    sockets.push(silent);
    silent.send({ type: 'subscribe', topic: `session:${session.id}` });
    // Presence is written after `subscribed` is sent; its event says the write is done.
    await silent.next((f) => f.event?.kind === 'presence' && f.event.connected === true);
    expect((await lastSeen(session.id, c.id)).connected).toBe(true);
    const answering = await connect(base, m.headers);
    sockets.push(answering);
    answering.send({ type: 'subscribe', topic: `session:${session.id}` });
    await answering.next((f) => f.type === 'subscribed');
    const { code } = await silent.closed; // pinged in one round, terminated in the next
    expect(code).toBe(1006);
    await answering.next((f) => f.event?.kind === 'presence' && f.event.userId === c.id && !f.event.connected);
    expect((await lastSeen(session.id, c.id)).connected).toBe(false);
    expect(answering.socket.readyState).toBe(answering.socket.OPEN);
  });
});
