import type { Ctx } from '../context.js';
import type { JobRow } from '../db/schema.js';
import { serializeError } from '../platform/logging.js';
import type { NoticeBus } from '../realtime/bus.js';
import { claimDue, failJob, finishJob } from './job.repository.js';
import { DEFAULT_RETRY, PermanentJobError, retryDelayMs, type JobHandler } from './queue.js';

export type RunnerOptions = {
  /** How often to look for due jobs when nothing wakes the runner. */
  pollMs?: number;
  batch?: number;
  /** How long a claim holds before another process may take the job over. */
  leaseMs?: number;
  /** Claim only the kinds of `handlers` (a runner for some of the work); otherwise every kind. */
  onlyOwnKinds?: boolean;
};

export type JobRunner = {
  /** Runs everything due now, until nothing is (tests; also the first pass at start-up). */
  drain: () => Promise<number>;
  stop: () => Promise<void>;
};

/** What a failure says in the admin's job list: the error's kind and words, never a statement. */
function describe(error: unknown): string {
  const facts = serializeError(error);
  return [facts.type, facts.code ?? facts.sqlState, facts.message].filter(Boolean).join(': ').slice(0, 2000);
}

/**
 * Runs durable jobs in this process: claims due ones (any process may; SKIP LOCKED keeps them
 * apart), runs each handler, and records done, a retry with backoff, or dead. Wakes on every
 * committed enqueue (a NOTIFY from the jobs table) and polls as a safety net.
 */
export function startJobRunner(
  ctx: Ctx,
  bus: NoticeBus,
  handlers: JobHandler[],
  options: RunnerOptions = {},
): JobRunner {
  const byKind = new Map(handlers.map((h) => [h.kind, h]));
  const batch = options.batch ?? 20;
  const leaseMs = options.leaseMs ?? 60_000;
  const kinds = options.onlyOwnKinds ? [...byKind.keys()] : undefined;
  let stopped = false;
  let current: Promise<number> | undefined;
  let again = false;

  async function runOne(job: JobRow): Promise<void> {
    const handler = byKind.get(job.kind);
    const policy = handler?.retry ?? DEFAULT_RETRY;
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler.run(ctx, job);
      await finishJob(ctx.db, job.id, job.attempts, ctx.clock.now());
    } catch (error) {
      const now = ctx.clock.now();
      const last = job.attempts >= job.maxAttempts || error instanceof PermanentJobError;
      const retryAt = last ? null : new Date(now.getTime() + retryDelayMs(policy, job.attempts));
      ctx.log[last ? 'error' : 'warn'](
        { err: error, jobId: job.id, kind: job.kind, attempt: job.attempts },
        last ? 'job dead' : 'job failed; retrying',
      );
      await failJob(ctx.db, job.id, job.attempts, describe(error), retryAt, now).catch((err: unknown) =>
        ctx.log.error({ err, jobId: job.id }, 'could not record a job failure; its lease will expire'),
      );
      if (last)
        await handler
          ?.onDead?.(ctx, job, error)
          .catch((err: unknown) => ctx.log.error({ err, jobId: job.id }, 'onDead failed'));
    }
  }

  async function pass(): Promise<number> {
    let ran = 0;
    for (;;) {
      const now = ctx.clock.now();
      const claimed = await claimDue(ctx.db, now, new Date(now.getTime() + leaseMs), batch, kinds);
      // One after another: a job's order within a batch is its due time, and the database is shared.
      for (const job of claimed) await runOne(job);
      ran += claimed.length;
      if (claimed.length < batch || stopped) return ran;
    }
  }

  /**
   * One pass at a time in this process, whoever asks (a notice, the poll, `drain`): two passes side
   * by side would let one of them find nothing due while the other is still running a job, and a
   * drain that returned then would return before the work it waited for was done. A wake-up during
   * a pass makes one more pass after it.
   */
  function exclusivePass(): Promise<number> {
    const run = pass();
    current = run
      .catch((error: unknown) => {
        ctx.log.warn({ err: error }, 'job runner pass failed; will try again');
        return 0;
      })
      .finally(() => {
        current = undefined;
        if (again && !stopped) {
          again = false;
          wake();
        }
      });
    return run;
  }

  function wake(): void {
    if (stopped) return;
    if (current) again = true;
    else void exclusivePass().catch(() => 0); // logged by `current`
  }

  const unsubscribe = bus.subscribe((notice) => {
    if (notice.kind === 'job') wake();
  });
  const timer = setInterval(wake, options.pollMs ?? 1000);
  wake();

  return {
    drain: async () => {
      let total = 0;
      for (;;) {
        while (current) await current;
        const ran = await exclusivePass();
        total += ran;
        if (ran === 0) return total;
      }
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await current;
    },
  };
}
