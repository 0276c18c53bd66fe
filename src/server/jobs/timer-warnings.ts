import type { Ctx } from '../context.js';
import { appendEvent } from '../sessions/session.repository.js';
import { claimWarning, findDueWarnings } from './sweep.repository.js';

export const WARNING_MINUTES = [5, 1] as const;

/**
 * Appends `timer.warning` events at 5 and 1 minutes before a live session's countdown ends.
 * The claim is a compare-and-set on `timer_warned_minutes`, so each warning is sent once even
 * when every process runs this.
 */
export async function sendTimerWarnings(ctx: Ctx): Promise<number> {
  let sent = 0;
  for (const minutes of WARNING_MINUTES) {
    for (const sessionId of await findDueWarnings(ctx.db, ctx.clock.now(), minutes, 200)) {
      const eventId = await ctx.db.transaction(async (tx) => {
        const claimed = await claimWarning(tx, sessionId, minutes);
        if (!claimed) return null;
        return appendEvent(tx, {
          sessionId,
          type: 'timer.warning',
          actorId: null,
          actorRole: 'system',
          fromStatus: claimed.status,
          toStatus: claimed.status,
          payload: { minutesLeft: minutes },
          createdAt: ctx.clock.now(),
        });
      });
      if (eventId !== null) sent++;
    }
  }
  return sent;
}
