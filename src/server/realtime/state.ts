import type { Authenticator } from '../auth/routes.js';
import type { Ctx } from '../context.js';
import type { NoticeBus } from './bus.js';
import type { Presence } from './presence.js';
import type { Registry } from './registry.js';

export type HubOptions = {
  iceServers: unknown[];
  heartbeatMs?: number;
  queueRefreshMs?: number;
  maxFramesPerSecond?: number;
  /** Sockets one account may hold open in this process. */
  maxSocketsPerUser?: number;
  /** Topics one socket may subscribe to. */
  maxSubscriptionsPerSocket?: number;
};

export type Limits = {
  heartbeatMs: number;
  queueRefreshMs: number;
  maxFramesPerSecond: number;
  maxSocketsPerUser: number;
  maxSubscriptionsPerSocket: number;
};

export const limitsOf = (options: HubOptions): Limits => ({
  heartbeatMs: options.heartbeatMs ?? 20_000,
  queueRefreshMs: options.queueRefreshMs ?? 15_000,
  maxFramesPerSecond: options.maxFramesPerSecond ?? 40,
  maxSocketsPerUser: options.maxSocketsPerUser ?? 8,
  maxSubscriptionsPerSocket: options.maxSubscriptionsPerSocket ?? 20,
});

/** What every part of the hub shares: the use-case context, the sockets, and the work in flight. */
export type HubState = {
  ctx: Ctx;
  bus: NoticeBus;
  auth: Authenticator;
  iceServers: unknown[];
  limits: Limits;
  registry: Registry;
  presence: Presence;
  /** Async work started by sockets, notices and timers; `stop` waits for it before the database closes. */
  track: (work: Promise<unknown>) => void;
  isStopping: () => boolean;
  /** Counters for tests and metrics: how often the queue was computed. */
  stats: { queueScans: number };
};

/** Milliseconds on the hub's one clock (the context's, so tests can move it). */
export const nowMs = (state: HubState) => state.ctx.clock.now().getTime();
