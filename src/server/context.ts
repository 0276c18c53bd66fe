import type { Logger } from 'pino';
import type { Windows } from './config.js';
import type { Db } from './db/client.js';

export type Clock = { now: () => Date };

export const systemClock: Clock = { now: () => new Date() };

/**
 * What happened, published after commit. Notices carry ids, never payloads: subscribers read the
 * committed rows, so a notice can be delivered twice or late and nothing is wrong or lost.
 */
export type Notice =
  | { kind: 'session'; sessionId: string; eventId: number }
  | { kind: 'message'; sessionId: string; seq: number }
  | { kind: 'mechanic'; userId: string };

export type Bus = { publish: (notice: Notice) => void };

/** The dependencies every use case receives, passed explicitly: no globals, no `Date.now()`. */
export type Ctx = {
  db: Db;
  clock: Clock;
  windows: Windows;
  bus: Bus;
  log: Logger;
};
