import type { RealtimeEvent } from '../../shared/realtime.js';
import { listQueue } from '../sessions/list-queue.js';
import { relationTo } from '../sessions/session-access.js';
import { findSession } from '../sessions/session.repository.js';
import { eventFor } from './events.js';
import { eventsForSession, eventsForUser, latestEventId, latestEventIdForSession } from './realtime.repository.js';
import type { Client, Subscription } from './registry.js';
import type { HubState } from './state.js';

/*
 * Subscribing: authorise the topic like HTTP, answer `subscribed` with the cursor, replay what the
 * client missed after its `after`, then let live events through — in order, none twice.
 */

const sessionIdOf = (topic: string) => (topic.startsWith('session:') ? topic.slice('session:'.length) : null);

/** Delivers an event with a cursor once, in order, even while the subscription replays. */
export function deliver(state: HubState, client: Client, sub: Subscription, cursor: number, event: RealtimeEvent) {
  const run = () => {
    if (cursor <= sub.cursor) return;
    sub.cursor = cursor;
    state.registry.send(client, { type: 'event', topic: sub.topic, cursor, event });
  };
  if (sub.ready) run();
  else sub.pending.push(run);
}

export async function subscribe(state: HubState, client: Client, topic: string, after: number | undefined) {
  const { ctx, registry } = state;
  const existing = client.subscriptions.get(topic);
  if (existing) return registry.send(client, { type: 'subscribed', topic, cursor: existing.cursor });
  if (client.subscriptions.size >= state.limits.maxSubscriptionsPerSocket) {
    return registry.error(
      client,
      'RATE_LIMITED',
      `at most ${state.limits.maxSubscriptionsPerSocket} subscriptions per connection`,
      topic,
    );
  }
  const sub: Subscription = { topic, cursor: after ?? 0, ready: false, pending: [] };
  const sessionId = sessionIdOf(topic);
  if (topic === 'queue') {
    if (client.actor.role !== 'mechanic')
      return registry.error(client, 'FORBIDDEN', 'the queue is for mechanics', topic);
    registry.listen(client, sub);
    const cursor = await latestEventId(ctx.db);
    registry.send(client, { type: 'subscribed', topic, cursor });
    sub.cursor = Math.max(sub.cursor, cursor);
    sub.visible = new Set();
    await refreshQueues(state, [client], cursor);
  } else if (topic === 'user') {
    registry.listen(client, sub);
    const cursor = await latestEventId(ctx.db);
    registry.send(client, { type: 'subscribed', topic, cursor });
    if (after !== undefined) {
      for (const row of await eventsForUser(ctx.db, client.actor.id, after, cursor)) {
        const delivered = await eventFor(ctx, row);
        if (delivered?.event.kind === 'session.updated') pushNow(state, client, sub, row.id, delivered.event);
      }
    }
    sub.cursor = Math.max(sub.cursor, cursor);
  } else if (sessionId) {
    const session = await findSession(ctx.db, sessionId);
    const relation = session ? relationTo(session, client.actor) : null;
    if (!session || !relation) return registry.error(client, 'NOT_FOUND', 'no such session', topic);
    registry.listen(client, sub);
    const cursor = await latestEventIdForSession(ctx.db, sessionId);
    registry.send(client, {
      type: 'subscribed',
      topic,
      cursor,
      ...(relation !== 'admin' ? { iceServers: state.iceServers } : {}),
    });
    if (relation !== 'admin') await state.presence.mark(sessionId, client.actor.id, true);
    if (after !== undefined) {
      for (const row of await eventsForSession(ctx.db, sessionId, after, cursor)) {
        const delivered = await eventFor(ctx, row);
        if (delivered) pushNow(state, client, sub, row.id, delivered.event);
      }
    }
    sub.cursor = Math.max(sub.cursor, cursor);
  }
  sub.ready = true;
  for (const run of sub.pending.splice(0)) run();
}

function pushNow(state: HubState, client: Client, sub: Subscription, cursor: number, event: RealtimeEvent) {
  if (cursor <= sub.cursor) return;
  sub.cursor = cursor;
  state.registry.send(client, { type: 'event', topic: sub.topic, cursor, event });
}

/** Leaves a topic; leaving a session's topic may mark the participant gone. */
export async function unsubscribe(state: HubState, client: Client, topic: string): Promise<boolean> {
  if (!state.registry.unlisten(client, topic)) return false;
  const sessionId = sessionIdOf(topic);
  if (sessionId && client.actor.role !== 'admin') {
    const session = await findSession(state.ctx.db, sessionId);
    if (session && relationTo(session, client.actor)) await state.presence.mark(sessionId, client.actor.id, false);
  }
  return true;
}

/**
 * Takes a topic away from a socket whose access to it ended (released, reassigned, suspended):
 * no further event reaches it, and the client is told why.
 */
export async function revoke(state: HubState, client: Client, topic: string, reason: string) {
  if (!state.registry.unlisten(client, topic)) return;
  const sessionId = sessionIdOf(topic);
  // Their presence ends with their access (they are no participant any more).
  if (sessionId) await state.presence.mark(sessionId, client.actor.id, false).catch(() => {});
  state.registry.send(client, { type: 'unsubscribed', topic, reason });
}

/**
 * Brings queue subscriptions up to date: the mechanic's visible queue is computed once per
 * mechanic (not once per socket: one mechanic's 200 sockets used to mean 200 queue scans per
 * notice), then each socket is sent its own difference.
 */
export async function refreshQueues(state: HubState, clients: Iterable<Client>, cursor?: number) {
  const byMechanic = new Map<string, Client[]>();
  for (const client of clients) {
    if (!client.subscriptions.has('queue')) continue;
    const list = byMechanic.get(client.actor.id) ?? [];
    list.push(client);
    byMechanic.set(client.actor.id, list);
  }
  for (const sockets of byMechanic.values()) {
    state.stats.queueScans++;
    const { items } = await listQueue(state.ctx, sockets[0]!.actor);
    const now = new Set(items.map((s) => s.id));
    for (const client of sockets) {
      const sub = client.subscriptions.get('queue');
      if (!sub) continue;
      const at = cursor ?? sub.cursor;
      const before = sub.visible ?? new Set<string>();
      for (const session of items) {
        if (!before.has(session.id))
          state.registry.send(client, {
            type: 'event',
            topic: 'queue',
            cursor: at,
            event: { kind: 'queue.added', session },
          });
      }
      for (const id of before) {
        if (!now.has(id))
          state.registry.send(client, {
            type: 'event',
            topic: 'queue',
            cursor: at,
            event: { kind: 'queue.removed', sessionId: id },
          });
      }
      sub.visible = now;
    }
  }
}
