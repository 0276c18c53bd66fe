import type { WebSocket } from 'ws';
import type { ServerFrame } from '../../shared/realtime.js';
import type { Actor } from '../auth/auth.js';
import type { Credential } from '../auth/session-cache.js';

/** One topic a socket listens to. */
export type Subscription = {
  topic: string;
  /** Highest cursor delivered: nothing at or below it is sent again. */
  cursor: number;
  /** False while replaying; live events wait in `pending` so ordering holds. */
  ready: boolean;
  pending: (() => void)[];
  /** queue topic: the pending sessions this mechanic's socket was last told about. */
  visible?: Set<string>;
};

/** One open socket and who it belongs to. */
export type Client = {
  socket: WebSocket;
  /** Who the socket's credential resolved to; refreshed when the account changes. */
  actor: Actor;
  /** What it signed in with, so that a revocation can be re-checked against the auth library. */
  credential: Credential;
  subscriptions: Map<string, Subscription>;
  alive: boolean;
  windowStart: number;
  framesInWindow: number;
  lastTypingAt: number;
};

const NOBODY: ReadonlySet<never> = new Set();

/**
 * The sockets of this process, indexed by topic and by user, so that a notice reaches its
 * subscribers — and a revocation its sockets — without a scan of every socket. The user topic is
 * keyed per user (`user:<id>`): each socket's `user` topic is its own account's.
 */
export function createRegistry() {
  const clients = new Set<Client>();
  const byTopic = new Map<string, Set<Client>>();
  const byUser = new Map<string, Set<Client>>();
  const topicKey = (client: Client, topic: string) => (topic === 'user' ? `user:${client.actor.id}` : topic);
  const add = <K>(index: Map<K, Set<Client>>, key: K, client: Client) => {
    let set = index.get(key);
    if (!set) index.set(key, (set = new Set()));
    set.add(client);
  };
  const remove = <K>(index: Map<K, Set<Client>>, key: K, client: Client) => {
    const set = index.get(key);
    set?.delete(client);
    if (set?.size === 0) index.delete(key);
  };

  const send = (client: Client, frame: ServerFrame) => {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(frame));
  };

  return {
    clients: clients as ReadonlySet<Client>,
    send,
    error: (client: Client, code: string, detail?: string, topic?: string) =>
      send(client, { type: 'error', code, ...(detail ? { detail } : {}), ...(topic ? { topic } : {}) }),
    join(client: Client) {
      clients.add(client);
      add(byUser, client.actor.id, client);
    },
    leave(client: Client) {
      clients.delete(client);
      remove(byUser, client.actor.id, client);
    },
    socketsOf: (userId: string): ReadonlySet<Client> => byUser.get(userId) ?? NOBODY,
    listen(client: Client, sub: Subscription) {
      client.subscriptions.set(sub.topic, sub);
      add(byTopic, topicKey(client, sub.topic), client);
    },
    /** False when the socket was not subscribed. */
    unlisten(client: Client, topic: string): boolean {
      if (!client.subscriptions.delete(topic)) return false;
      remove(byTopic, topicKey(client, topic), client);
      return true;
    },
    /** Subscribers of a topic (`user:<id>` for a user's own topic). */
    listenersOf: (key: string): ReadonlySet<Client> => byTopic.get(key) ?? NOBODY,
    hasListeners: () => byTopic.size > 0,
  };
}

export type Registry = ReturnType<typeof createRegistry>;
