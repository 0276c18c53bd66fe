import type { Ctx } from '../context.js';
import type { Executor } from '../db/client.js';
import type { JobRow } from '../db/schema.js';
import { insertJob } from './job.repository.js';

/*
 * What a durable job is (notifications.md §1, decision 008): a kind, a key (enqueuing the same key
 * twice makes one job), a payload of ids, and when it may run. It is enqueued with `enqueue(tx, …)`
 * inside the transaction that causes it. Its handler runs at least once, in any process, after
 * commit — so it must be idempotent: a crash after the work and before `done` runs it again.
 */

/** A failure retrying cannot mend (the provider refused, the hold is gone): the job is dead at once. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type RetryPolicy = {
  maxAttempts: number;
  /** Delay before each retry, by retry number; the last one repeats. */
  delaysMs: readonly number[];
};

/** Exponential: 2 s, 8 s, 30 s, 2 min, 8 min, 30 min. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 6,
  delaysMs: [2_000, 8_000, 30_000, 120_000, 480_000, 1_800_000],
};

export type JobHandler = {
  kind: string;
  retry?: RetryPolicy;
  run: (ctx: Ctx, job: JobRow) => Promise<void>;
  /** After the last attempt failed: record what it means (a capture → capture_failed). */
  onDead?: (ctx: Ctx, job: JobRow, error: unknown) => Promise<void>;
};

export type EnqueueOptions = { runAt?: Date; maxAttempts?: number };

/** Adds a job in the caller's transaction; returns false when one with this key exists already. */
export function enqueue(
  ex: Executor,
  now: Date,
  job: { kind: string; key: string; payload: Record<string, unknown> },
  options: EnqueueOptions & { retry?: RetryPolicy } = {},
): Promise<boolean> {
  return insertJob(ex, {
    ...job,
    runAt: options.runAt ?? now,
    maxAttempts: options.maxAttempts ?? options.retry?.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
  });
}

/** The delay before retry number `retry` (1 = the first retry), with ±20% jitter. */
export function retryDelayMs(policy: RetryPolicy, retry: number, random = Math.random): number {
  const base = policy.delaysMs[Math.min(retry - 1, policy.delaysMs.length - 1)] ?? 60_000;
  return Math.round(base * (0.8 + random() * 0.4));
}
