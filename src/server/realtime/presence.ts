import type { Bus, Ctx } from '../context.js';
import { setConnected, touchParticipants } from '../sessions/participant.repository.js';
import type { Client } from './registry.js';

const KEY = (sessionId: string, userId: string) => `${sessionId}|${userId}`;
const HEARTBEAT_TICK_MS = 100;

/**
 * Who is connected to which session from this process (a participant may hold several sockets),
 * and the writes that follow: `connected` flips when the first socket arrives or the last leaves,
 * and `last_seen_at` is refreshed by the heartbeat for the abandon rule (T12).
 */
export function createPresence(ctx: Ctx, bus: Bus) {
  const counts = new Map<string, number>();
  return {
    async mark(sessionId: string, userId: string, connected: boolean) {
      const key = KEY(sessionId, userId);
      const count = (counts.get(key) ?? 0) + (connected ? 1 : -1);
      if (count > 0) counts.set(key, count);
      else counts.delete(key);
      const changed = connected ? count === 1 : count <= 0;
      if (!changed) return;
      await setConnected(ctx.db, sessionId, userId, connected, ctx.clock.now());
      bus.publish({ kind: 'presence', sessionId, userId, connected });
    },
    keys: () => [...counts.keys()],
    has: (key: string) => counts.has(key),
  };
}

export type Presence = ReturnType<typeof createPresence>;

/**
 * Once a round: ping every socket (dropping those that did not answer the last ping) and refresh
 * last_seen_at of every present participant. A round is spread over ticks of HEARTBEAT_TICK_MS,
 * each handling its share of the sockets with one small UPDATE: thousands of pings or a
 * thousand-row UPDATE at once stalled every other delivery for tens of milliseconds.
 */
export function startHeartbeat(
  ctx: Ctx,
  presence: Presence,
  clients: ReadonlySet<Client>,
  heartbeatMs: number,
  track: (work: Promise<unknown>) => void,
): NodeJS.Timeout {
  const ticks = Math.max(1, Math.round(heartbeatMs / HEARTBEAT_TICK_MS));
  let round: { sockets: Client[]; participants: string[] } = { sockets: [], participants: [] };
  let tick = 0;
  const share = <T>(all: T[]) => {
    const size = Math.ceil(all.length / ticks);
    return all.slice(tick * size, (tick + 1) * size);
  };
  return setInterval(() => {
    if (tick === 0) round = { sockets: [...clients], participants: presence.keys() };
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
  }, heartbeatMs / ticks);
}
