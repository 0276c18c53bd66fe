import type { WebSocket } from 'ws';
import type { Actor } from '../auth/auth.js';
import type { Authenticator } from '../auth/routes.js';
import type { Credential } from '../auth/session-cache.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { toAppError } from '../platform/problems.js';
import { onResync } from './access.js';
import type { NoticeBus } from './bus.js';
import { onNotice } from './fan-out.js';
import { onFrame } from './frames.js';
import { createPresence, startHeartbeat } from './presence.js';
import { createRegistry, type Client } from './registry.js';
import { limitsOf, nowMs, type HubOptions, type HubState } from './state.js';
import { refreshQueues, unsubscribe } from './subscriptions.js';

export type { HubOptions } from './state.js';

/**
 * Sockets, topics and fan-out for one process, in parts a newcomer can read one at a time:
 * `registry` (sockets and topics), `subscriptions` (authorise, replay, deliver), `fan-out`
 * (notice → typed events), `access` (re-checks when access changes), `presence` (connected,
 * heartbeat) and `frames` (what clients send). This file wires them to the bus and the sockets.
 */
export function createHub(ctx: Ctx, bus: NoticeBus, auth: Authenticator, options: HubOptions) {
  const registry = createRegistry();
  const inflight = new Set<Promise<unknown>>();
  let stopping = false;
  const state: HubState = {
    ctx,
    bus,
    auth,
    iceServers: options.iceServers,
    limits: limitsOf(options),
    registry,
    presence: createPresence(ctx, bus),
    track: (work) => {
      inflight.add(work);
      void work.finally(() => inflight.delete(work));
    },
    isStopping: () => stopping,
    stats: { queueScans: 0 },
  };
  let timers: NodeJS.Timeout[] = [];
  const detach: (() => void)[] = [];

  function attach(socket: WebSocket, actor: Actor, credential: Credential) {
    if (registry.socketsOf(actor.id).size >= state.limits.maxSocketsPerUser) {
      socket.send(
        JSON.stringify({
          type: 'error',
          code: 'RATE_LIMITED',
          detail: `at most ${state.limits.maxSocketsPerUser} connections per account`,
        }),
      );
      socket.close(4429, 'too many connections');
      return;
    }
    const client: Client = {
      socket,
      actor,
      credential,
      subscriptions: new Map(),
      alive: true,
      windowStart: nowMs(state),
      framesInWindow: 0,
      lastTypingAt: 0,
    };
    registry.join(client);
    socket.on('pong', () => (client.alive = true));
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return registry.error(client, 'VALIDATION_FAILED', 'frames are JSON text');
      state.track(
        onFrame(state, client, data).catch((err: unknown) => {
          const error = err instanceof AppError ? err : toAppError(err as Error);
          if (error.status >= 500) ctx.log.error({ err }, 'realtime frame failed');
          registry.error(client, error.code, error.status >= 500 ? undefined : error.message);
        }),
      );
    });
    socket.on('close', () => {
      registry.leave(client);
      for (const topic of [...client.subscriptions.keys()]) {
        // Shutting down: last_seen_at simply ages; nothing to write.
        if (stopping) registry.unlisten(client, topic);
        else
          state.track(
            unsubscribe(state, client, topic).catch((err: unknown) => ctx.log.warn({ err }, 'presence update failed')),
          );
      }
    });
    socket.on('error', () => socket.terminate());
  }

  return {
    attach,
    clientCount: () => registry.clients.size,
    stats: () => ({ ...state.stats }),
    start() {
      detach.push(
        bus.subscribe((notice) => {
          if (stopping) return;
          state.track(
            onNotice(state, notice).catch((err: unknown) =>
              ctx.log.error({ err, kind: notice.kind }, 'realtime fan-out failed'),
            ),
          );
        }),
        bus.onResync((resync) => {
          if (!stopping)
            state.track(
              onResync(state, resync).catch((err: unknown) => ctx.log.error({ err }, 'realtime resync failed')),
            );
        }),
      );
      const limits = state.limits;
      timers.push(startHeartbeat(ctx, state.presence, registry.clients, limits.heartbeatMs, state.track));
      // Reservation windows close with time, not with an event: re-check open queues now and then.
      timers.push(
        setInterval(() => state.track(refreshQueues(state, registry.clients).catch(() => {})), limits.queueRefreshMs),
      );
    },
    async stop() {
      stopping = true;
      for (const off of detach.splice(0)) off();
      for (const timer of timers) clearInterval(timer);
      timers = [];
      // 1001 tells clients to reconnect (to another process, or this one after a restart).
      for (const client of registry.clients) client.socket.close(1001, 'server shutting down');
      const drained = Promise.allSettled([...inflight]);
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      for (const client of registry.clients) client.socket.terminate();
    },
  };
}

export type Hub = ReturnType<typeof createHub>;
