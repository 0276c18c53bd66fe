import type { RealtimeEvent } from '../../shared/realtime.js';
import type { Notice } from '../context.js';
import { toMessageDto } from '../messages/message.dto.js';
import { toNotificationDto } from '../notifications/notification.dto.js';
import { countUnread, findNotification } from '../notifications/notification.repository.js';
import { findMessageBySeq } from '../messages/message.repository.js';
import { relationTo } from '../sessions/session-access.js';
import { recheckMechanic, recheckUser } from './access.js';
import { eventFor } from './events.js';
import { findEvent, findRelay } from './realtime.repository.js';
import type { Client } from './registry.js';
import { deliver, refreshQueues, revoke } from './subscriptions.js';
import type { HubState } from './state.js';

/*
 * Notices from any process (through the bus) → typed events for the sockets of this process.
 * Durable events are read from committed rows and carry their event id as the cursor; presence,
 * typing and signals are ephemeral and go only to whoever listens now.
 */

export async function onNotice(state: HubState, notice: Notice): Promise<void> {
  const { registry } = state;
  switch (notice.kind) {
    case 'session':
      if (notice.type === 'message.created' && notice.seq)
        return onMessage(state, notice.sessionId, notice.eventId, notice.seq);
      return onSessionEvent(state, notice.sessionId, notice.eventId);
    case 'auth':
      return recheckUser(state, notice.userId);
    case 'mechanic':
      return recheckMechanic(state, notice.userId);
    case 'notification':
      return onNotification(state, notice.userId, notice.notificationId);
    case 'presence':
    case 'typing': {
      const event: RealtimeEvent =
        notice.kind === 'presence'
          ? { kind: 'presence', userId: notice.userId, connected: notice.connected }
          : { kind: 'typing', userId: notice.userId };
      const topic = `session:${notice.sessionId}`;
      for (const client of registry.listenersOf(topic)) {
        if (notice.kind === 'typing' && client.actor.id === notice.userId) continue;
        registry.send(client, { type: 'event', topic, event });
      }
      return;
    }
    case 'rtc': {
      const topic = `session:${notice.sessionId}`;
      const targets = [...registry.listenersOf(topic)].filter((c) => c.actor.id === notice.to);
      if (targets.length === 0) return;
      const data = notice.relayId !== undefined ? await findRelay(state.ctx.db, notice.relayId) : notice.data;
      for (const client of targets) {
        registry.send(client, { type: 'event', topic, event: { kind: 'rtc.signal', from: notice.from, data } });
      }
      return;
    }
  }
}

/** Chat messages only concern the session's own topic: one read, no event row. */
async function onMessage(state: HubState, sessionId: string, eventId: number, seq: number) {
  const topic = `session:${sessionId}`;
  if (state.registry.listenersOf(topic).size === 0) return;
  const message = await findMessageBySeq(state.ctx.db, sessionId, seq);
  if (!message) return;
  const event: RealtimeEvent = { kind: 'message.created', message: toMessageDto(message) };
  // Whoever subscribed while the message was read gets it too (or in their replay: `deliver` dedupes).
  for (const client of state.registry.listenersOf(topic)) {
    const sub = client.subscriptions.get(topic);
    if (sub) deliver(state, client, sub, eventId, event);
  }
}

async function onSessionEvent(state: HubState, sessionId: string, eventId: number) {
  const { registry, ctx } = state;
  if (!registry.hasListeners()) return;
  const row = await findEvent(ctx.db, eventId);
  if (!row) return;
  const delivered = await eventFor(ctx, row);
  if (!delivered) return;
  const { event, session } = delivered;
  const topic = `session:${sessionId}`;

  // Access follows the assignment: a mechanic who released the session (or lost it to a
  // reassignment) stops receiving it the moment the change commits.
  if (session) {
    for (const client of [...registry.listenersOf(topic)]) {
      if (!relationTo(session, client.actor)) await revoke(state, client, topic, 'ACCESS_ENDED');
    }
  }

  const involved = new Set([
    session?.customerId,
    session?.mechanicId,
    row.actorId,
    row.payload.mechanicId as string | undefined,
  ]);
  const queueChanged = row.fromStatus === 'pending' || row.toStatus === 'pending' || row.type === 'session.ended';
  const recipients = new Set<Client>(registry.listenersOf(topic));
  if (session)
    for (const userId of involved)
      if (userId) for (const c of registry.listenersOf(`user:${userId}`)) recipients.add(c);
  for (const client of recipients) {
    const sessionSub = client.subscriptions.get(topic);
    if (sessionSub) deliver(state, client, sessionSub, row.id, event);
    const userSub = client.subscriptions.get('user');
    if (userSub && session && involved.has(client.actor.id)) deliver(state, client, userSub, row.id, event);
  }
  if (queueChanged) await refreshQueues(state, registry.listenersOf('queue'), row.id);
}

/** A new in-app notification lights up the bell on each of its owner's open pages (the `user` topic). */
async function onNotification(state: HubState, userId: string, notificationId: string) {
  const topic = `user:${userId}`;
  if (state.registry.listenersOf(topic).size === 0) return;
  const [row, unread] = await Promise.all([
    findNotification(state.ctx.db, notificationId),
    countUnread(state.ctx.db, userId),
  ]);
  if (!row) return;
  const event: RealtimeEvent = { kind: 'notification.created', notification: toNotificationDto(row), unread };
  for (const client of state.registry.listenersOf(topic))
    state.registry.send(client, { type: 'event', topic: 'user', event });
}
