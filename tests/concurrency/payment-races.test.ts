import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findViolations } from '../../src/server/admin/invariants.repository.js';
import { jobs, ledgerTransactions, payments, sessionExtensions, sessions } from '../../src/server/db/schema.js';
import { JOB_HANDLERS } from '../../src/server/jobs/handlers.js';
import { startJobRunner } from '../../src/server/jobs/runner.js';
import { sweepOnce } from '../../src/server/jobs/sweeper.js';
import { admin, customer, mechanic, payFor, sessionBody } from '../factories/index.js';
import { liveSession } from '../factories/sessions.js';
import { createLocalProvider } from '../../src/server/payments/local-provider.js';
import { flaky } from '../helpers/flaky-provider.js';
import { call, post } from '../helpers/http.js';
import { createTestApp, isPostgres, openTestDatabase, type TestApp } from '../helpers/test-app.js';

/* Money under real concurrency (PostgreSQL): settlements and attachments happen once. */
describe.runIf(isPostgres())('money races on PostgreSQL', () => {
  let t: TestApp;
  let faults: ReturnType<typeof flaky>;
  beforeAll(async () => {
    const database = await openTestDatabase(30);
    faults = flaky(createLocalProvider(database.database.db, { now: () => new Date() }));
    t = await createTestApp({ database, withoutJobRunner: true, paymentProvider: faults.provider });
  });
  afterAll(() => t.close());
  /** This app runs no job runner of its own (the races bring theirs): drain with a fresh one. */
  const drainJobs = async () => {
    const runner = startJobRunner(t.ctx, t.bus, JOB_HANDLERS, { pollMs: 3_600_000 });
    await runner.drain();
    await runner.stop();
  };

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

  it('an extension racing the sweeper at the time limit: extended and still live, or ended and the charge refunded — never both, 10 times', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 10; round++) {
      const c = await customer(t);
      const session = await liveSession(t, c, await mechanic(t));
      const [row] = await t.database.db.select().from(sessions).where(eq(sessions.id, session.id));
      // One second before the deadline the customer asks; the charge is in flight when the sweeper runs.
      t.clock.advance(row!.deadlineAt!.getTime() - t.clock.now().getTime() - 1000);
      const held = faults.hold('chargeSaved');
      const extending = post(t, `/api/sessions/${session.id}/extensions`, c, { blocks: 1 });
      await held.started;
      // Even rounds: the deadline passes during the charge. Odd rounds: the sweeper runs just before it.
      if (round % 2 === 0) t.clock.advance(1000);
      const [reply] = await Promise.all([extending, (async () => (held.release(), sweepOnce(t.ctx)))()]);
      await sweepOnce(t.ctx);
      const [after] = await t.database.db.select().from(sessions).where(eq(sessions.id, session.id));
      const [extension] = await t.database.db
        .select()
        .from(sessionExtensions)
        .where(eq(sessionExtensions.sessionId, session.id));
      if (reply.status === 201) {
        expect(after).toMatchObject({ status: 'live', extendedMinutes: 10 });
        expect(extension!.status).toBe('succeeded');
        outcomes.push('extended');
      } else {
        expect(reply.body.code).toBe('SESSION_CLOSED');
        expect(after).toMatchObject({ status: 'completed', extendedMinutes: 0, endReason: 'time_limit' });
        expect(extension!.status).toBe('refunded');
        outcomes.push('ended');
      }
      await post(t, `/api/sessions/${session.id}/end`, c);
      await drainJobs();
    }
    expect(new Set(outcomes)).toEqual(new Set(['extended', 'ended']));
    expect(await findViolations(t.database.db, { now: t.clock.now(), sweepIntervalMs: 5000 })).toEqual([]);
  });

  it('five extensions asked at once: one is charged, the others are told to wait — one charge', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    const replies = await Promise.all(
      [1, 2, 3, 4, 5].map(() => post(t, `/api/sessions/${session.id}/extensions`, c, { blocks: 1 })),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const rows = await t.database.db
      .select()
      .from(sessionExtensions)
      .where(eq(sessionExtensions.sessionId, session.id));
    expect(rows.map((x) => x.status)).toEqual(['succeeded']);
    const [after] = await t.database.db.select().from(sessions).where(eq(sessions.id, session.id));
    expect(after!.extendedMinutes).toBe(10);
  });

  it('concurrent refunds of one payment never exceed what was captured, 10 times', async () => {
    const boss = await admin(t);
    for (let round = 0; round < 10; round++) {
      const c = await customer(t);
      const session = await liveSession(t, c, await mechanic(t));
      await post(t, `/api/sessions/${session.id}/end`, c);
      await drainJobs();
      const [payment] = await t.database.db.select().from(payments).where(eq(payments.sessionId, session.id));
      expect(payment!.capturedCents).toBe(999);
      const replies = await Promise.all(
        ['a', 'b', 'c'].map((key) =>
          call(t, 'POST', `/api/admin/payments/${payment!.id}/refunds`, {
            as: boss,
            body: { amountCents: 400, reason: `concurrent ${key}` },
            headers: { 'idempotency-key': `${round}-${key}` },
          }),
        ),
      );
      expect(replies.map((r) => r.status).sort()).toEqual([201, 201, 409]);
      const [after] = await t.database.db.select().from(payments).where(eq(payments.id, payment!.id));
      expect(after).toMatchObject({ refundedCents: 800, status: 'partially_refunded' });
    }
    t.clock.advanceSeconds(31);
    await drainJobs(); // the refunds' safety-net jobs find them done
    expect(await findViolations(t.database.db, { now: t.clock.now(), sweepIntervalMs: 5000 })).toEqual([]);
  });
});
