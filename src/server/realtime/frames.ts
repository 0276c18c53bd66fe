import { ClientFrame, MAX_FRAME_BYTES, MAX_SIGNAL_BYTES } from '../../shared/realtime.js';
import { findTextProblems } from '../../shared/text-guard.js';
import { findMechanic } from '../mechanics/mechanic.repository.js';
import { isAssigned } from '../sessions/machine.js';
import { relationTo } from '../sessions/session-access.js';
import { findSession } from '../sessions/session.repository.js';
import { touchParticipant } from '../sessions/participant.repository.js';
import { insertRelay } from './realtime.repository.js';
import type { Client } from './registry.js';
import { subscribe, unsubscribe } from './subscriptions.js';
import { nowMs, type HubState } from './state.js';

/** NOTIFY payloads are limited to 8000 bytes; signals larger than this go through a relay row. */
const NOTIFY_LIMIT = 7000;

/** One frame from a client: rate-limited, validated, then acted on. Never throws for bad input. */
export async function onFrame(state: HubState, client: Client, raw: Buffer): Promise<void> {
  const { registry } = state;
  const now = nowMs(state);
  if (now - client.windowStart >= 1000) {
    client.windowStart = now;
    client.framesInWindow = 0;
  }
  if (++client.framesInWindow > state.limits.maxFramesPerSecond) {
    registry.error(client, 'RATE_LIMITED', 'too many frames; disconnecting');
    client.socket.close(1008, 'rate limited');
    return;
  }
  if (raw.length > MAX_FRAME_BYTES) return registry.error(client, 'PAYLOAD_TOO_LARGE');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return registry.error(client, 'VALIDATION_FAILED', 'frames are JSON objects with a type');
  }
  const problems = findTextProblems(json, 'frame');
  if (problems.length > 0)
    return registry.error(client, 'VALIDATION_FAILED', `${problems[0]!.path} ${problems[0]!.message}`);
  const result = ClientFrame.safeParse(json);
  if (!result.success) return registry.error(client, 'VALIDATION_FAILED', result.error.issues[0]?.message);
  const frame = result.data;
  switch (frame.type) {
    case 'ping':
      return registry.send(client, { type: 'pong', serverTime: state.ctx.clock.now().toISOString() });
    case 'subscribe':
      return subscribe(state, client, frame.topic, frame.after);
    case 'unsubscribe':
      await unsubscribe(state, client, frame.topic);
      return registry.send(client, { type: 'unsubscribed', topic: frame.topic });
    case 'typing': {
      if (now - client.lastTypingAt < 1000) return; // throttled: one typing event a second
      client.lastTypingAt = now;
      const session = await participantSession(state, client, frame.sessionId);
      if (!session) return;
      await touchParticipant(state.ctx.db, session.id, client.actor.id, state.ctx.clock.now());
      return state.bus.publish({ kind: 'typing', sessionId: session.id, userId: client.actor.id });
    }
    case 'rtc.signal':
      return relaySignal(state, client, frame.sessionId, frame.data);
  }
}

/** The session, if this socket's user is one of its two participants and may act in it. */
async function participantSession(state: HubState, client: Client, sessionId: string) {
  const session = await findSession(state.ctx.db, sessionId);
  const relation = session ? relationTo(session, client.actor) : null;
  if (!session || (relation !== 'customer' && relation !== 'mechanic')) {
    state.registry.error(client, 'NOT_FOUND', 'no such session');
    return null;
  }
  if (relation === 'mechanic' && (await findMechanic(state.ctx.db, client.actor.id))?.approvalStatus !== 'approved') {
    state.registry.error(client, 'FORBIDDEN', 'a suspended mechanic cannot act in a session');
    return null;
  }
  return session;
}

async function relaySignal(state: HubState, client: Client, sessionId: string, data: unknown) {
  const encoded = JSON.stringify(data ?? null);
  if (encoded.length > MAX_SIGNAL_BYTES) return state.registry.error(client, 'PAYLOAD_TOO_LARGE', 'signal too large');
  const session = await participantSession(state, client, sessionId);
  if (!session) return;
  if (!isAssigned(session.status)) {
    return state.registry.error(client, 'SESSION_CLOSED', 'signalling needs an accepted or live session');
  }
  const from = client.actor.id;
  const to = session.customerId === from ? session.mechanicId! : session.customerId;
  if (encoded.length <= NOTIFY_LIMIT - 300) return state.bus.publish({ kind: 'rtc', sessionId, from, to, data });
  // Too big for a NOTIFY payload: park it in a row and send its id.
  const relayId = await insertRelay(state.ctx.db, data);
  state.bus.publish({ kind: 'rtc', sessionId, from, to, relayId });
}
