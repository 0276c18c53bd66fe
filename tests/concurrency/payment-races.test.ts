import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findViolations } from '../../src/server/admin/invariants.repository.js';
import { jobs, ledgerTransactions, payments, sessions } from '../../src/server/db/schema.js';
import { JOB_HANDLERS } from '../../src/server/jobs/handlers.js';
import { startJobRunner } from '../../src/server/jobs/runner.js';
import { sweepOnce } from '../../src/server/jobs/sweeper.js';
import { customer, mechanic, payFor, sessionBody } from '../factories/index.js';
import { liveSession } from '../factories/sessions.js';
import { call, post } from '../helpers/http.js';
import { createTestApp, isPostgres, openTestDatabase, type TestApp } from '../helpers/test-app.js';

/* Money under real concurrency (PostgreSQL): settlements and attachments happen once. */
describe.runIf(isPostgres())('money races on PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ database: await openTestDatabase(30), withoutJobRunner: true });
  });
  afterAll(() => t.close());

  it('both participants ending at once, the sweeper racing them, four runners draining: one capture each, 10 times', async () => {
    const runners = [0, 1, 2, 3].map(() => startJobRunner(t.ctx, t.bus, JOB_HANDLERS, { pollMs: 3_600_000 }));
    try {
      const ids: string[] = [];
      for (let round = 0; round < 10; round++) {
        const c = await customer(t);
        const m = await mechanic(t);
        const session = await liveSession(t, c, m);
        ids.push(session.id);
        await Promise.all([
          post(t, `/api/sessions/${session.id}/end`, c),
          post(t, `/api/sessions/${session.id}/end`, m),
          sweepOnce(t.ctx),
        ]);
        await Promise.all(runners.map((r) => r.drain()));
      }
      const paid = await t.database.db.select().from(payments).where(inArray(payments.sessionId, ids));
      expect(paid.map((p) => p.status)).toEqual(Array(10).fill('captured'));
      const captures = await t.database.db
        .select()
        .from(ledgerTransactions)
        .where(
          inArray(
            ledgerTransactions.paymentId,
            paid.map((p) => p.id),
          ),
        );
      expect(captures).toHaveLength(10);
      const settleJobs = await t.database.db
        .select()
        .from(jobs)
        .where(
          inArray(
            jobs.key,
            ids.map((id) => `settle:${id}`),
          ),
        );
      expect(settleJobs.map((j) => j.state)).toEqual(Array(10).fill('done'));
      expect(await findViolations(t.database.db, { now: t.clock.now(), sweepIntervalMs: 5000 })).toEqual([]);
    } finally {
      for (const r of runners) await r.stop();
    }
  });

  it('one payment sent with two concurrent requests: it pays for one session only', async () => {
    for (let round = 0; round < 10; round++) {
      const c = await customer(t);
      const paymentId = await payFor(t, c);
      const replies = await Promise.all(
        ['a', 'b'].map((key) =>
          call(t, 'POST', '/api/sessions', {
            as: c,
            body: sessionBody({ paymentId }),
            headers: { 'idempotency-key': `${round}-${key}` },
          }),
        ),
      );
      expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
      const attached = await t.database.db.select().from(sessions).where(eq(sessions.customerId, c.id));
      expect(attached).toHaveLength(1);
      const [payment] = await t.database.db.select().from(payments).where(eq(payments.id, paymentId));
      expect(payment!.sessionId).toBe(attached[0]!.id);
    }
  });
});
