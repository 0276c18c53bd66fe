import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { runTransition } from '../sessions/run-transition.js';
import { findAbandoned, findDue } from './sweep.repository.js';
import { deleteOldRelays } from '../realtime/realtime.repository.js';
import { deleteStaleRateLimits } from '../auth/auth.repository.js';
import { sendTimerWarnings } from './timer-warnings.js';
import { scheduleWeeklyPayouts } from '../payments/run-payouts.js';
import { deleteExpiredWaitlist } from '../notifications/notification.repository.js';

const BATCH = 100;
const MAX_BATCHES_PER_SWEEP = 20;

export type SweepReport = { deadlines: number; abandoned: number; warnings: number };

/**
 * Ends whatever passed its deadline (T4, T9, T11) and live sessions both participants left
 * (T12). Each session runs through the same compare-and-set transition as a user's action, so
 * several processes may sweep at once and a user racing the sweeper still produces one outcome.
 */
export async function sweepOnce(ctx: Ctx): Promise<SweepReport> {
  const report: SweepReport = { deadlines: 0, abandoned: 0, warnings: 0 };
  for (let batch = 0; batch < MAX_BATCHES_PER_SWEEP; batch++) {
    const due = await findDue(ctx.db, ctx.clock.now(), BATCH);
    for (const id of due) if (await applySystemEvent(ctx, id, 'deadline')) report.deadlines++;
    if (due.length < BATCH) break;
  }
  const cutoff = new Date(ctx.clock.now().getTime() - ctx.windows.abandonSeconds * 1000);
  for (const id of await findAbandoned(ctx.db, cutoff, BATCH)) {
    if (await applySystemEvent(ctx, id, 'abandon')) report.abandoned++;
  }
  report.warnings = await sendTimerWarnings(ctx);
  await scheduleWeeklyPayouts(ctx);
  await deleteOldRelays(ctx.db, new Date(ctx.clock.now().getTime() - 60_000));
  await deleteStaleRateLimits(ctx.db, new Date(ctx.clock.now().getTime() - 86_400_000));
  await deleteExpiredWaitlist(ctx.db, ctx.clock.now());
  return report;
}

async function applySystemEvent(ctx: Ctx, sessionId: string, type: 'deadline' | 'abandon'): Promise<boolean> {
  try {
    const result = await runTransition(ctx, sessionId, { type }, { kind: 'system' });
    return result.eventId !== null;
  } catch (error) {
    // Someone acted first (joined, ended, extended): nothing is due any more.
    if (error instanceof AppError && error.status < 500) return false;
    ctx.log.error({ err: error, sessionId }, 'sweeper could not apply %s', type);
    return false;
  }
}

export type Sweeper = { stop: () => Promise<void> };

/** Runs `sweepOnce` every `intervalMs`, never two at a time in one process. */
export function startSweeper(ctx: Ctx, intervalMs: number): Sweeper {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = sweepOnce(ctx)
      .then((report) => {
        if (report.deadlines + report.abandoned > 0) ctx.log.info(report, 'sweeper ended sessions');
      })
      .catch((error) => ctx.log.error({ err: error }, 'sweep failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
