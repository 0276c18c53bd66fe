import type { Executor } from '../db/client.js';
import { enqueue } from '../jobs/queue.js';
import { settlePaymentJob } from './jobs.js';
import { findPaymentBySession } from './payment.repository.js';

/**
 * Called inside a session's terminal transition (run-transition.ts): if the session is paid, its
 * settlement job commits with the transition — a crash right after the commit loses nothing; the
 * job runs on restart. Keyed by session, so both ends racing, or the sweeper, settle once.
 */
export async function enqueueSettlement(tx: Executor, sessionId: string, now: Date): Promise<void> {
  if (!(await findPaymentBySession(tx, sessionId))) return;
  const job = settlePaymentJob(sessionId);
  await enqueue(tx, now, job, { retry: job.retry });
}
