import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { JobState } from '../../shared/domain.js';
import { queryRows, type Executor } from '../db/client.js';
import { jobs, type JobRow } from '../db/schema.js';

/** The only module with SQL about jobs. */

export type NewJob = { kind: string; key: string; payload: Record<string, unknown>; runAt: Date; maxAttempts: number };

/** Inserts the job unless one with its key exists; returns whether it was new. */
export async function insertJob(ex: Executor, job: NewJob): Promise<boolean> {
  const rows = await ex
    .insert(jobs)
    .values({ ...job, createdAt: job.runAt, updatedAt: job.runAt })
    .onConflictDoNothing({ target: jobs.key })
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/**
 * Claims up to `limit` jobs that may run now — due ones, and running ones whose lease expired
 * (their process died) — in one statement: SKIP LOCKED lets every process claim at once without
 * two taking the same job. The claim counts an attempt and takes a lease until `leaseUntil`.
 */
export async function claimDue(
  ex: Executor,
  now: Date,
  leaseUntil: Date,
  limit: number,
  /** Only these kinds (a runner dedicated to some work); all kinds when absent. */
  kinds?: readonly string[],
): Promise<JobRow[]> {
  const at = now.toISOString();
  const rows = await queryRows<{ id: number | string }>(
    ex,
    sql`UPDATE ${jobs} SET state = 'running', attempts = attempts + 1, locked_until = ${leaseUntil.toISOString()}::timestamptz,
          updated_at = ${at}::timestamptz
        WHERE id IN (
          SELECT id FROM ${jobs}
          WHERE ((state IN ('queued', 'retrying') AND run_at <= ${at}::timestamptz)
             OR (state = 'running' AND locked_until < ${at}::timestamptz))
            ${
              kinds
                ? sql`AND kind IN (${sql.join(
                    kinds.map((k) => sql`${k}`),
                    sql`, `,
                  )})`
                : sql``
            }
          ORDER BY run_at
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING id`,
  );
  if (rows.length === 0) return [];
  return ex
    .select()
    .from(jobs)
    .where(
      inArray(
        jobs.id,
        rows.map((r) => Number(r.id)),
      ),
    )
    .orderBy(jobs.runAt);
}

/** Finishes a claimed job (only the claim that is still current: an expired lease lost it). */
export async function finishJob(ex: Executor, id: number, attempts: number, now: Date): Promise<void> {
  await ex
    .update(jobs)
    .set({ state: 'done', finishedAt: now, lockedUntil: null, updatedAt: now })
    .where(and(eq(jobs.id, id), eq(jobs.attempts, attempts), eq(jobs.state, 'running')));
}

/** Records a failed attempt: retrying at `retryAt`, or dead when there is none left. */
export async function failJob(
  ex: Executor,
  id: number,
  attempts: number,
  error: string,
  retryAt: Date | null,
  now: Date,
): Promise<void> {
  await ex
    .update(jobs)
    .set(
      retryAt
        ? { state: 'retrying', runAt: retryAt, lastError: error, lockedUntil: null, updatedAt: now }
        : { state: 'dead', lastError: error, lockedUntil: null, finishedAt: now, updatedAt: now },
    )
    .where(and(eq(jobs.id, id), eq(jobs.attempts, attempts), eq(jobs.state, 'running')));
}

export async function listJobs(ex: Executor, states: JobState[], limit: number): Promise<JobRow[]> {
  return ex.select().from(jobs).where(inArray(jobs.state, states)).orderBy(desc(jobs.updatedAt)).limit(limit);
}

export async function findJob(ex: Executor, id: number): Promise<JobRow | undefined> {
  const [row] = await ex.select().from(jobs).where(eq(jobs.id, id));
  return row;
}

export async function findJobByKey(ex: Executor, key: string): Promise<JobRow | undefined> {
  const [row] = await ex.select().from(jobs).where(eq(jobs.key, key));
  return row;
}

/**
 * Puts a dead (or waiting) job back in the queue now, with a fresh round of attempts. Returns
 * undefined when the job is running or done (nothing to retry).
 */
export async function requeueJob(
  ex: Executor,
  id: number,
  extraAttempts: number,
  now: Date,
): Promise<JobRow | undefined> {
  const [row] = await ex
    .update(jobs)
    .set({
      state: 'queued',
      runAt: now,
      maxAttempts: sql`${jobs.attempts} + ${extraAttempts}`,
      finishedAt: null,
      updatedAt: now,
    })
    .where(and(eq(jobs.id, id), inArray(jobs.state, ['dead', 'retrying'])))
    .returning();
  return row;
}

export async function findJobsByKeys(ex: Executor, keys: string[]): Promise<JobRow[]> {
  if (keys.length === 0) return [];
  return ex.select().from(jobs).where(inArray(jobs.key, keys)).orderBy(jobs.createdAt);
}
