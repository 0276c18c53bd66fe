import type { Logger } from 'pino';
import type { Bus, Notice } from '../context.js';
import type { Database } from '../db/client.js';
import { latestEventId, noticesAfter } from './realtime.repository.js';

export const NOTICE_CHANNEL = 'autodoctor_notices';

/** How many missed events a reconnect replays through the bus before it gives up and resets sockets. */
export const CATCH_UP_LIMIT = 5000;

export type Resync = {
  /** Session events read back from `session_events` after the gap, in id order. */
  caughtUp: number;
  /** More were missed than the bus replays: every socket should reconnect and replay from its cursor. */
  overflow: boolean;
};

export type NoticeBus = Bus & {
  /** Receives every notice published by any process sharing the database. */
  subscribe: (handler: (notice: Notice) => void) => () => void;
  /**
   * Called once the LISTEN connection is back after a gap and the missed session events have been
   * replayed. Notices of other kinds (sign-outs, shift changes, presence) may have been missed:
   * whoever keeps state from them must refresh it.
   */
  onResync: (handler: (resync: Resync) => void) => () => void;
  /** False while the LISTEN connection is down (readiness reports it). */
  isListening: () => boolean;
  start: () => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * Notices travel through PostgreSQL NOTIFY (on PGlite, within the one process), so every app
 * process sees every notice. They carry ids only, far below NOTIFY's 8000-byte payload limit.
 * Session events are also rows with a global id, so when the LISTEN connection drops and comes
 * back, the events committed in between are read back by id and delivered as if notified.
 */
const eventIdOf = (notice: Notice) => (notice.kind === 'session' ? notice.eventId : 0);

export function createNoticeBus(database: Database, log: Logger): NoticeBus {
  const handlers = new Set<(notice: Notice) => void>();
  const resyncHandlers = new Set<(resync: Resync) => void>();
  let unlisten: (() => Promise<void>) | undefined;
  let listening = false;
  /** The highest session event id this process has been told about: the catch-up cursor. */
  let lastEventId = 0;
  let catchingUp: Promise<void> = Promise.resolve();
  /**
   * Open while the connection is down or catching up: where the gap started, and the live session
   * notices that arrived since reconnecting. They are held back until the gap is replayed, so that
   * every subscriber receives the session's events in id order (the hub drops what is older than
   * what it last delivered).
   */
  let gap: { from: number; held: Notice[] } | undefined;

  const deliver = (notice: Notice) => {
    if (notice.kind === 'session') lastEventId = Math.max(lastEventId, notice.eventId);
    for (const handler of handlers) {
      try {
        handler(notice);
      } catch (error) {
        log.error({ err: error }, 'notice handler failed');
      }
    }
  };

  const catchUp = async () => {
    if (!gap) return;
    let cursor = gap.from;
    let caughtUp = 0;
    let overflow = false;
    try {
      for (;;) {
        const missed = await noticesAfter(database.db, cursor, 500);
        for (const notice of missed) {
          deliver(notice);
          cursor = notice.eventId;
        }
        caughtUp += missed.length;
        if (missed.length < 500) break;
        if (caughtUp >= CATCH_UP_LIMIT) {
          overflow = true;
          break;
        }
      }
    } catch (error) {
      // The database answered LISTEN but not the read: let every socket replay from its cursor.
      log.warn({ err: error }, 'could not read the events missed while the bus was down');
      overflow = true;
    }
    if (!listening) return; // down again: the next reconnect replays from the same start
    const held = gap.held.sort((a, b) => eventIdOf(a) - eventIdOf(b));
    gap = undefined;
    for (const notice of held) if (overflow || eventIdOf(notice) > cursor) deliver(notice);
    log.info({ caughtUp, overflow }, 'realtime bus reconnected');
    for (const handler of resyncHandlers) {
      try {
        handler({ caughtUp, overflow });
      } catch (error) {
        log.error({ err: error }, 'resync handler failed');
      }
    }
  };

  return {
    publish: (notice) => {
      // A revocation must hold in this process before the request that caused it answers; the
      // echo from NOTIFY evicts again, which is harmless.
      if (notice.kind === 'auth') deliver(notice);
      database.notify(NOTICE_CHANNEL, JSON.stringify(notice)).catch((error: unknown) => {
        log.warn({ err: error, kind: notice.kind }, 'could not publish a notice; subscribers will catch up');
      });
    },
    subscribe: (handler) => {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    onResync: (handler) => {
      resyncHandlers.add(handler);
      return () => resyncHandlers.delete(handler);
    },
    isListening: () => listening,
    start: async () => {
      lastEventId = await latestEventId(database.db);
      unlisten = await database.listen(NOTICE_CHANNEL, {
        onPayload: (payload) => {
          let notice: Notice;
          try {
            notice = JSON.parse(payload) as Notice;
          } catch {
            return;
          }
          if (gap && notice.kind === 'session') gap.held.push(notice);
          else deliver(notice);
        },
        onDown: (error) => {
          listening = false;
          gap ??= { from: lastEventId, held: [] };
          log.error({ err: error }, 'realtime bus lost its LISTEN connection; reconnecting');
        },
        onUp: () => {
          listening = true;
          catchingUp = catchingUp.then(catchUp);
        },
      });
      listening = true;
    },
    stop: async () => {
      listening = false;
      await unlisten?.();
      unlisten = undefined;
      await catchingUp;
    },
  };
}
