import { eq } from 'drizzle-orm';
import type { WebSocket } from 'ws';
import {
  ClientFrame,
  MAX_FRAME_BYTES,
  MAX_SIGNAL_BYTES,
  type RealtimeEvent,
  type ServerFrame,
} from '../../shared/realtime.js';
import type { Actor } from '../auth/auth.js';
import type { Ctx, Notice } from '../context.js';
import { realtimeRelays, sessionEvents, type SessionEventRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { findMessageBySeq, toMessageDto } from '../messages/message.repository.js';
import { isAssigned } from '../sessions/machine.js';
import { listQueue } from '../sessions/list-queue.js';
import { relationTo } from '../sessions/session-access.js';
import { toSessionDto } from '../sessions/session.dto.js';
import {
  findSession,
  loadSession,
  setConnected,
  touchParticipant,
  touchParticipants,
} from '../sessions/session.repository.js';
import type { NoticeBus } from './bus.js';
import { latestEventId, latestEventIdForSession, eventsForSession, eventsForUser } from './realtime.repository.js';

type Subscription = {
  topic: string;
  /** Highest cursor delivered: nothing at or below it is sent again. */
  cursor: number;
  /** False while replaying; live events wait in `pending` so ordering holds. */
  ready: boolean;
  pending: (() => Promise<void>)[];
  /** queue topic: the pending sessions this mechanic currently sees. */
  visible?: Set<string>;
};

type Client = {
  socket: WebSocket;
  actor: Actor;
  subscriptions: Map<string, Subscription>;
  alive: boolean;
  windowStart: number;
  framesInWindow: number;
  lastTypingAt: number;
};

export type HubOptions = {
  iceServers: unknown[];
  heartbeatMs?: number;
  queueRefreshMs?: number;
  maxFramesPerSecond?: number;
};

const PRESENCE_KEY = (sessionId: string, userId: string) => `${sessionId}|${userId}`;
const NOTIFY_LIMIT = 7000;
const HEARTBEAT_TICK_MS = 100;
const NOBODY: ReadonlySet<never> = new Set();

/**
 * Sockets, topics and fan-out for one process. Every durable event comes from committed rows
 * (`session_events`, `messages`) and carries its event id as the cursor; notices from the bus
 * (any process) say which rows to read. Presence, typing and signals are ephemeral.
 */
export function createHub(ctx: Ctx, bus: NoticeBus, options: HubOptions) {
  const clients = new Set<Client>();
  /**
   * Who listens to what in this process, so that a notice reaches its subscribers without a scan
   * of every socket. Keyed by topic, except that the user topic is keyed per user (`user:<id>`).
   */
  const listeners = new Map<string, Set<Client>>();
  const listenerKey = (client: Client, topic: string) => (topic === 'user' ? `user:${client.actor.id}` : topic);
  const listenersOf = (key: string): ReadonlySet<Client> => listeners.get(key) ?? NOBODY;
  const listen = (client: Client, sub: Subscription) => {
    client.subscriptions.set(sub.topic, sub);
    const key = listenerKey(client, sub.topic);
    let set = listeners.get(key);
    if (!set) listeners.set(key, (set = new Set()));
    set.add(client);
  };
  const unlisten = (client: Client, topic: string): boolean => {
    if (!client.subscriptions.delete(topic)) return false;
    const key = listenerKey(client, topic);
    const set = listeners.get(key);
    set?.delete(client);
    if (set?.size === 0) listeners.delete(key);
    return true;
  };
  const presence = new Map<string, number>(); // (session, user) → sockets in this process
  const maxFrames = options.maxFramesPerSecond ?? 40;
  let timers: NodeJS.Timeout[] = [];
  let unsubscribe: (() => void) | undefined;
  let stopping = false;
  /** Async work started by sockets, notices and timers; `stop` waits for it before the database closes. */
  const inflight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    inflight.add(work);
    void work.finally(() => inflight.delete(work));
  };

  const send = (client: Client, frame: ServerFrame) => {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(frame));
  };
  const error = (client: Client, code: string, detail?: string, topic?: string) =>
    send(client, { type: 'error', code, ...(detail ? { detail } : {}), ...(topic ? { topic } : {}) });

  /** Delivers an event with a cursor once, in order, even while the subscription replays. */
  const deliver = (client: Client, sub: Subscription, cursor: number, event: RealtimeEvent) => {
    const run = async () => {
      if (cursor <= sub.cursor) return;
      sub.cursor = cursor;
      send(client, { type: 'event', topic: sub.topic, cursor, event });
    };
    if (sub.ready) void run();
    else sub.pending.push(run);
  };

  // ── Mapping committed rows to events ───────────────────────────────────────────────────

  async function eventFor(row: SessionEventRow): Promise<RealtimeEvent | null> {
    if (row.type === 'message.created') {
      const message = await findMessageBySeq(ctx.db, row.sessionId, Number(row.payload.seq));
      return message ? { kind: 'message.created', message: toMessageDto(message) } : null;
    }
    if (row.type === 'timer.warning') return { kind: 'timer.warning', minutesLeft: Number(row.payload.minutesLeft) };
    const loaded = await loadSession(ctx.db, row.sessionId);
    return loaded ? { kind: 'session.updated', session: toSessionDto(loaded.session, loaded.participants) } : null;
  }

  // ── Subscriptions ──────────────────────────────────────────────────────────────────────

  async function subscribe(client: Client, topic: string, after: number | undefined) {
    if (client.subscriptions.has(topic))
      return send(client, { type: 'subscribed', topic, cursor: client.subscriptions.get(topic)!.cursor });
    const sub: Subscription = { topic, cursor: after ?? 0, ready: false, pending: [] };
    if (topic === 'queue') {
      if (client.actor.role !== 'mechanic') return error(client, 'FORBIDDEN', 'the queue is for mechanics', topic);
      listen(client, sub);
      const cursor = await latestEventId(ctx.db);
      send(client, { type: 'subscribed', topic, cursor });
      sub.cursor = Math.max(sub.cursor, cursor);
      sub.visible = new Set();
      await refreshQueue(client, sub, cursor);
    } else if (topic === 'user') {
      listen(client, sub);
      const cursor = await latestEventId(ctx.db);
      send(client, { type: 'subscribed', topic, cursor });
      if (after !== undefined) {
        for (const row of await eventsForUser(ctx.db, client.actor.id, after, cursor)) {
          const event = await eventFor(row);
          if (event?.kind === 'session.updated') await pushNow(client, sub, row.id, event);
        }
      }
      sub.cursor = Math.max(sub.cursor, cursor);
    } else {
      const sessionId = topic.slice('session:'.length);
      const session = await findSession(ctx.db, sessionId);
      const relation = session ? relationTo(session, client.actor) : null;
      if (!session || !relation) return error(client, 'NOT_FOUND', 'no such session', topic);
      listen(client, sub);
      const cursor = await latestEventIdForSession(ctx.db, sessionId);
      send(client, {
        type: 'subscribed',
        topic,
        cursor,
        ...(relation !== 'admin' ? { iceServers: options.iceServers } : {}),
      });
      if (relation !== 'admin') await markPresent(sessionId, client.actor.id, true);
      if (after !== undefined) {
        for (const row of await eventsForSession(ctx.db, sessionId, after, cursor)) {
          const event = await eventFor(row);
          if (event) await pushNow(client, sub, row.id, event);
        }
      }
      sub.cursor = Math.max(sub.cursor, cursor);
    }
    sub.ready = true;
    for (const run of sub.pending.splice(0)) await run();
  }

  async function pushNow(client: Client, sub: Subscription, cursor: number, event: RealtimeEvent) {
    if (cursor <= sub.cursor) return;
    sub.cursor = cursor;
    send(client, { type: 'event', topic: sub.topic, cursor, event });
  }

  async function unsubscribe_(client: Client, topic: string) {
    if (!unlisten(client, topic)) return;
    if (topic.startsWith('session:')) {
      const sessionId = topic.slice('session:'.length);
      const session = await findSession(ctx.db, sessionId);
      if (session && relationTo(session, client.actor) !== 'admin')
        await markPresent(sessionId, client.actor.id, false);
    }
  }

  /** Diffs the mechanic's visible queue against what their socket was last told. */
  async function refreshQueue(client: Client, sub: Subscription, cursor: number) {
    const { items } = await listQueue(ctx, client.actor);
    const now = new Set(items.map((s) => s.id));
    const before = sub.visible ?? new Set<string>();
    for (const session of items) {
      if (!before.has(session.id))
        send(client, { type: 'event', topic: 'queue', cursor, event: { kind: 'queue.added', session } });
    }
    for (const id of before) {
      if (!now.has(id))
        send(client, { type: 'event', topic: 'queue', cursor, event: { kind: 'queue.removed', sessionId: id } });
    }
    sub.visible = now;
  }

  async function markPresent(sessionId: string, userId: string, connected: boolean) {
    const key = PRESENCE_KEY(sessionId, userId);
    const count = (presence.get(key) ?? 0) + (connected ? 1 : -1);
    if (count > 0) presence.set(key, count);
    else presence.delete(key);
    const changed = connected ? count === 1 : count <= 0;
    if (!changed) return;
    await setConnected(ctx.db, sessionId, userId, connected, ctx.clock.now());
    bus.publish({ kind: 'presence', sessionId, userId, connected });
  }

  // ── Frames from clients ────────────────────────────────────────────────────────────────

  async function onFrame(client: Client, raw: Buffer) {
    const now = Date.now();
    if (now - client.windowStart >= 1000) {
      client.windowStart = now;
      client.framesInWindow = 0;
    }
    if (++client.framesInWindow > maxFrames) {
      error(client, 'RATE_LIMITED', 'too many frames; disconnecting');
      client.socket.close(1008, 'rate limited');
      return;
    }
    if (raw.length > MAX_FRAME_BYTES) return error(client, 'PAYLOAD_TOO_LARGE');
    let parsed: ClientFrame;
    try {
      const result = ClientFrame.safeParse(JSON.parse(raw.toString('utf8')));
      if (!result.success) return error(client, 'VALIDATION_FAILED', result.error.issues[0]?.message);
      parsed = result.data;
    } catch {
      return error(client, 'VALIDATION_FAILED', 'frames are JSON objects with a type');
    }
    switch (parsed.type) {
      case 'ping':
        return send(client, { type: 'pong', serverTime: ctx.clock.now().toISOString() });
      case 'subscribe':
        return subscribe(client, parsed.topic, parsed.after);
      case 'unsubscribe':
        await unsubscribe_(client, parsed.topic);
        return send(client, { type: 'unsubscribed', topic: parsed.topic });
      case 'typing': {
        if (now - client.lastTypingAt < 1000) return; // throttled: one typing event a second
        client.lastTypingAt = now;
        const session = await findSession(ctx.db, parsed.sessionId);
        const relation = session ? relationTo(session, client.actor) : null;
        if (!session || (relation !== 'customer' && relation !== 'mechanic'))
          return error(client, 'NOT_FOUND', 'no such session');
        await touchParticipant(ctx.db, session.id, client.actor.id, ctx.clock.now());
        return bus.publish({ kind: 'typing', sessionId: session.id, userId: client.actor.id });
      }
      case 'rtc.signal':
        return relaySignal(client, parsed.sessionId, parsed.data);
    }
  }

  async function relaySignal(client: Client, sessionId: string, data: unknown) {
    const encoded = JSON.stringify(data ?? null);
    if (encoded.length > MAX_SIGNAL_BYTES) return error(client, 'PAYLOAD_TOO_LARGE', 'signal too large');
    const session = await findSession(ctx.db, sessionId);
    const relation = session ? relationTo(session, client.actor) : null;
    if (!session || (relation !== 'customer' && relation !== 'mechanic'))
      return error(client, 'NOT_FOUND', 'no such session');
    if (!isAssigned(session.status))
      return error(client, 'SESSION_CLOSED', 'signalling needs an accepted or live session');
    const to = relation === 'customer' ? session.mechanicId! : session.customerId;
    if (encoded.length <= NOTIFY_LIMIT - 300) {
      return bus.publish({ kind: 'rtc', sessionId, from: client.actor.id, to, data });
    }
    // Too big for a NOTIFY payload: park it in a row and send its id.
    const [row] = await ctx.db
      .insert(realtimeRelays)
      .values({ payload: data as object })
      .returning({ id: realtimeRelays.id });
    bus.publish({ kind: 'rtc', sessionId, from: client.actor.id, to, relayId: row!.id });
  }

  // ── Notices from any process ───────────────────────────────────────────────────────────

  async function onNotice(notice: Notice) {
    switch (notice.kind) {
      case 'session':
        if (notice.type === 'message.created' && notice.seq)
          return onMessage(notice.sessionId, notice.eventId, notice.seq);
        return onSessionEvent(notice.sessionId, notice.eventId);
      case 'auth':
        return;
      case 'mechanic':
        for (const client of listenersOf('queue')) {
          const sub = client.subscriptions.get('queue');
          if (sub && client.actor.id === notice.userId) await refreshQueue(client, sub, sub.cursor);
        }
        return;
      case 'presence':
      case 'typing': {
        const event: RealtimeEvent =
          notice.kind === 'presence'
            ? { kind: 'presence', userId: notice.userId, connected: notice.connected }
            : { kind: 'typing', userId: notice.userId };
        const topic = `session:${notice.sessionId}`;
        for (const client of listenersOf(topic)) {
          if (notice.kind === 'typing' && client.actor.id === notice.userId) continue;
          send(client, { type: 'event', topic, event });
        }
        return;
      }
      case 'rtc': {
        const targets = [...listenersOf(`session:${notice.sessionId}`)].filter((c) => c.actor.id === notice.to);
        if (targets.length === 0) return;
        let data = notice.data;
        if (notice.relayId !== undefined) {
          const [row] = await ctx.db.select().from(realtimeRelays).where(eq(realtimeRelays.id, notice.relayId));
          data = row?.payload;
        }
        for (const client of targets) {
          send(client, {
            type: 'event',
            topic: `session:${notice.sessionId}`,
            event: { kind: 'rtc.signal', from: notice.from, data },
          });
        }
        return;
      }
    }
  }

  /** Chat messages only concern the session's own topic: one read, no event row. */
  async function onMessage(sessionId: string, eventId: number, seq: number) {
    const topic = `session:${sessionId}`;
    if (listenersOf(topic).size === 0) return;
    const message = await findMessageBySeq(ctx.db, sessionId, seq);
    if (!message) return;
    const event: RealtimeEvent = { kind: 'message.created', message: toMessageDto(message) };
    // Whoever subscribed while the message was read gets it too (or in their replay: `deliver` dedupes).
    for (const client of listenersOf(topic)) deliver(client, client.subscriptions.get(topic)!, eventId, event);
  }

  async function onSessionEvent(sessionId: string, eventId: number) {
    const topic = `session:${sessionId}`;
    if (listeners.size === 0) return;
    const [row] = await ctx.db.select().from(sessionEvents).where(eq(sessionEvents.id, eventId));
    if (!row) return;
    const event = await eventFor(row);
    if (!event) return;
    const session =
      event.kind === 'session.updated' ? (event.session as { customerId: string; mechanicId: string | null }) : null;
    const involved = new Set([
      session?.customerId,
      session?.mechanicId,
      row.actorId,
      row.payload.mechanicId as string | undefined,
    ]);
    const queueChanged = row.fromStatus === 'pending' || row.toStatus === 'pending' || row.type === 'session.ended';
    const recipients = new Set(listenersOf(topic));
    if (session)
      for (const userId of involved) if (userId) for (const c of listenersOf(`user:${userId}`)) recipients.add(c);
    if (queueChanged) for (const c of listenersOf('queue')) recipients.add(c);
    for (const client of recipients) {
      const sessionSub = client.subscriptions.get(topic);
      if (sessionSub) deliver(client, sessionSub, row.id, event);
      const userSub = client.subscriptions.get('user');
      if (userSub && session && involved.has(client.actor.id)) deliver(client, userSub, row.id, event);
      const queueSub = client.subscriptions.get('queue');
      if (queueSub && queueChanged) await refreshQueue(client, queueSub, row.id);
    }
  }

  // ── Lifecycle ──────────────────────────────────────────────────────────────────────────

  function attach(socket: WebSocket, actor: Actor) {
    const client: Client = {
      socket,
      actor,
      subscriptions: new Map(),
      alive: true,
      windowStart: Date.now(),
      framesInWindow: 0,
      lastTypingAt: 0,
    };
    clients.add(client);
    socket.on('pong', () => (client.alive = true));
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return error(client, 'VALIDATION_FAILED', 'frames are JSON text');
      track(
        onFrame(client, data).catch((err: unknown) => {
          if (err instanceof AppError) return error(client, err.code, err.message);
          ctx.log.error({ err }, 'realtime frame failed');
          error(client, 'INTERNAL');
        }),
      );
    });
    socket.on('close', () => {
      clients.delete(client);
      for (const topic of [...client.subscriptions.keys()]) {
        // Shutting down: last_seen_at simply ages; nothing to write.
        if (stopping) unlisten(client, topic);
        else
          track(unsubscribe_(client, topic).catch((err: unknown) => ctx.log.warn({ err }, 'presence update failed')));
      }
    });
    socket.on('error', () => socket.terminate());
  }

  return {
    attach,
    clientCount: () => clients.size,
    start() {
      unsubscribe = bus.subscribe((notice) => {
        if (stopping) return;
        track(onNotice(notice).catch((err: unknown) => ctx.log.error({ err, notice }, 'realtime fan-out failed')));
      });
      // Heartbeat: once a round, ping every socket (dropping those that did not answer the last
      // ping) and refresh last_seen_at of every present participant for the abandon rule. A
      // round is spread over ticks of HEARTBEAT_TICK_MS, each handling its share of the sockets
      // and one small UPDATE: thousands of pings or a thousand-row UPDATE at once stalled every
      // other delivery for tens of milliseconds.
      const heartbeatMs = options.heartbeatMs ?? 20_000;
      const ticks = Math.max(1, Math.round(heartbeatMs / HEARTBEAT_TICK_MS));
      let round: { sockets: Client[]; participants: string[] } = { sockets: [], participants: [] };
      let tick = 0;
      const share = <T>(all: T[]) => {
        const size = Math.ceil(all.length / ticks);
        return all.slice(tick * size, (tick + 1) * size);
      };
      timers.push(
        setInterval(() => {
          if (tick === 0) round = { sockets: [...clients], participants: [...presence.keys()] };
          const pairs = share(round.participants)
            .filter((key) => presence.has(key))
            .map((key) => {
              const [sessionId, userId] = key.split('|') as [string, string];
              return { sessionId, userId };
            });
          track(touchParticipants(ctx.db, pairs, ctx.clock.now()).catch(() => {}));
          for (const client of share(round.sockets)) {
            if (!clients.has(client)) continue;
            if (!client.alive) {
              client.socket.terminate();
              continue;
            }
            client.alive = false;
            client.socket.ping();
          }
          tick = (tick + 1) % ticks;
        }, heartbeatMs / ticks),
      );
      // Reservation windows close with time, not with an event: re-check open queues now and then.
      timers.push(
        setInterval(() => {
          for (const client of clients) {
            const sub = client.subscriptions.get('queue');
            if (sub) track(refreshQueue(client, sub, sub.cursor).catch(() => {}));
          }
        }, options.queueRefreshMs ?? 15_000),
      );
    },
    async stop() {
      stopping = true;
      unsubscribe?.();
      for (const timer of timers) clearInterval(timer);
      timers = [];
      // 1001 tells clients to reconnect (to another process, or this one after a restart).
      for (const client of clients) client.socket.close(1001, 'server shutting down');
      const drained = Promise.allSettled([...inflight]);
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      for (const client of clients) client.socket.terminate();
    },
  };
}

export type Hub = ReturnType<typeof createHub>;
