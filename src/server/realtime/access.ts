import { findMechanic } from '../mechanics/mechanic.repository.js';
import type { Resync } from './bus.js';
import type { Client } from './registry.js';
import { refreshQueues, revoke } from './subscriptions.js';
import type { HubState } from './state.js';

/*
 * A socket's access is checked when it subscribes, and again whenever it may have changed: a
 * sign-out or revoked session closes the sockets that used it, a role change makes them
 * reconnect, a suspension takes away every session and the queue.
 */

/** Close codes the web client understands: 4401 signed out (do not retry), 4409 reconnect. */
export const CLOSE_SIGNED_OUT = 4401;
export const CLOSE_ACCOUNT_CHANGED = 4409;

async function recheckSocket(state: HubState, client: Client): Promise<void> {
  const actor = await state.auth.actorFor(client.credential);
  if (!actor) {
    state.registry.error(client, 'UNAUTHENTICATED', 'signed out');
    client.socket.close(CLOSE_SIGNED_OUT, 'signed out');
    return;
  }
  if (actor.role !== client.actor.role) {
    // What it may subscribe to changed with the role: start again from a fresh connection.
    client.socket.close(CLOSE_ACCOUNT_CHANGED, 'account changed');
    return;
  }
  client.actor = actor;
}

/** A session of this user was revoked, or their account changed: re-ask for every socket of theirs. */
export async function recheckUser(state: HubState, userId: string): Promise<void> {
  await Promise.all([...state.registry.socketsOf(userId)].map((client) => recheckSocket(state, client)));
}

/**
 * A mechanic's standing changed (approval, suspension, shift, can-accept). Suspended: no session
 * and no queue any more. Otherwise their queue may look different.
 */
export async function recheckMechanic(state: HubState, userId: string): Promise<void> {
  const sockets = [...state.registry.socketsOf(userId)];
  if (sockets.length === 0) return;
  const mechanic = await findMechanic(state.ctx.db, userId);
  if (mechanic?.approvalStatus === 'suspended') {
    for (const client of sockets) {
      for (const topic of [...client.subscriptions.keys()]) {
        if (topic !== 'user') await revoke(state, client, topic, 'SUSPENDED');
      }
    }
    return;
  }
  await refreshQueues(state, sockets);
}

const RESYNC_BATCH = 100;

/**
 * After the bus was down: the missed session events were replayed already; what else may have
 * been missed is re-derived — every socket's credential is re-checked (in batches, so ten thousand
 * sockets do not ask the auth library at once) and every queue is recomputed. When more was
 * missed than the bus replays, every socket is asked to reconnect and replay from its own cursor.
 */
export async function onResync(state: HubState, resync: Resync): Promise<void> {
  const clients = [...state.registry.clients];
  if (resync.overflow) {
    for (const client of clients) client.socket.close(1012, 'service restart: reconnect and resume from your cursor');
    return;
  }
  for (let i = 0; i < clients.length; i += RESYNC_BATCH) {
    if (state.isStopping()) return;
    await Promise.all(
      clients
        .slice(i, i + RESYNC_BATCH)
        .map((client) => (state.registry.clients.has(client) ? recheckSocket(state, client) : undefined)),
    );
  }
  await refreshQueues(state, state.registry.clients);
}
