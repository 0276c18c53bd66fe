import type { Actor } from '../auth/auth.js';
import { recordAdminAction } from '../audit/audit.repository.js';
import type { Ctx } from '../context.js';
import type { JobRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { findJob, requeueJob } from './job.repository.js';

/** A fresh round of attempts for a job an admin retries. */
const RETRY_ROUND = 3;

/** An admin runs a dead (or waiting) job again now; audited. Running or finished jobs are left alone. */
export async function retryJob(ctx: Ctx, admin: Actor, jobId: number, reason: string): Promise<JobRow> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const before = await findJob(tx, jobId);
    if (!before) throw new AppError('NOT_FOUND', 'No such job');
    const row = await requeueJob(tx, jobId, RETRY_ROUND, now);
    if (!row)
      throw new AppError('INVALID_TRANSITION', `The job is ${before.state}: only dead or waiting jobs are retried`);
    await recordAdminAction(tx, {
      adminId: admin.id,
      action: 'job.retry',
      targetType: 'job',
      targetId: String(jobId),
      reason,
      before: { state: before.state, attempts: before.attempts },
      after: { state: row.state, maxAttempts: row.maxAttempts },
      at: now,
    });
    return row;
  });
}
