import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { JOB_STATES } from '../../../shared/domain.js';
import { createdAt, oneOf, tstz, updatedAt } from './columns.js';

/**
 * Durable jobs (notifications.md §1, decision 008): a side effect outside the database — a capture,
 * an email, a webhook — is a row inserted in the transaction that causes it, so a rolled-back
 * change runs nothing and a committed one is never forgotten. Any process claims due rows with
 * FOR UPDATE SKIP LOCKED; a claim is a lease (`locked_until`), so a job whose process died runs
 * again. The key makes enqueuing the same thing twice one job.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    state: text('state', { enum: JOB_STATES }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    runAt: tstz('run_at').notNull(),
    lockedUntil: tstz('locked_until'),
    lastError: text('last_error'),
    finishedAt: tstz('finished_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('jobs_state_check', oneOf('state', JOB_STATES)),
    check('jobs_attempts_check', sql`attempts >= 0 AND max_attempts >= 1`),
    uniqueIndex('jobs_key_key').on(t.key),
    // The runner's scan: what may run next.
    index('jobs_due_idx')
      .on(t.runAt)
      .where(sql`state IN ('queued', 'retrying', 'running')`),
    index('jobs_state_idx').on(t.state, t.updatedAt),
  ],
);

export type JobRow = typeof jobs.$inferSelect;
