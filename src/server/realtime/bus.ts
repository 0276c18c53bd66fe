import type { Logger } from 'pino';
import type { Bus, Notice } from '../context.js';
import type { Database } from '../db/client.js';

export const NOTICE_CHANNEL = 'autodoctor_notices';

export type NoticeBus = Bus & {
  /** Receives every notice published by any process sharing the database. */
  subscribe: (handler: (notice: Notice) => void) => () => void;
  start: () => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * Notices travel through PostgreSQL NOTIFY (on PGlite, within the one process), so every app
 * process sees every notice. They carry ids only, far below NOTIFY's 8000-byte payload limit.
 */
export function createNoticeBus(database: Database, log: Logger): NoticeBus {
  const handlers = new Set<(notice: Notice) => void>();
  let unlisten: (() => Promise<void>) | undefined;
  const deliver = (notice: Notice) => {
    for (const handler of handlers) {
      try {
        handler(notice);
      } catch (error) {
        log.error({ err: error }, 'notice handler failed');
      }
    }
  };
  return {
    publish: (notice) => {
      // A revocation must hold in this process before the request that caused it answers; the
      // echo from NOTIFY evicts again, which is harmless.
      if (notice.kind === 'auth') deliver(notice);
      database.notify(NOTICE_CHANNEL, JSON.stringify(notice)).catch((error: unknown) => {
        log.warn({ err: error, notice }, 'could not publish a notice; subscribers will catch up from the cursor');
      });
    },
    subscribe: (handler) => {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    start: async () => {
      unlisten = await database.listen(NOTICE_CHANNEL, (payload) => {
        let notice: Notice;
        try {
          notice = JSON.parse(payload) as Notice;
        } catch {
          return;
        }
        deliver(notice);
      });
    },
    stop: async () => {
      await unlisten?.();
      unlisten = undefined;
    },
  };
}
