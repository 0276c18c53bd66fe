import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findViolations } from '../../src/server/admin/invariants.repository.js';
import { jobs, payments, payouts } from '../../src/server/db/schema.js';
import { sweepOnce } from '../../src/server/jobs/sweeper.js';
import { createLocalProvider } from '../../src/server/payments/local-provider.js';
import { closeDispute, upsertDispute } from '../../src/server/payments/refund.repository.js';
import { lastPeriodEnd } from '../../src/server/payments/run-payouts.js';
import { admin, customer, mechanic, type TestUser } from '../factories/index.js';
import { liveSession } from '../factories/sessions.js';
import { call, get, post } from '../helpers/http.js';
import { flaky } from '../helpers/flaky-provider.js';
import { createTestApp, openTestDatabase, type TestApp } from '../helpers/test-app.js';

/* Earnings and weekly payouts (payments.md §3, §4): read from the ledger, paid once per (mechanic, period). */

const DAY = 86_400;

let t: TestApp;
let boss: TestUser;
let faults: ReturnType<typeof flaky>;
beforeAll(async () => {
  const database = await openTestDatabase();
  faults = flaky(createLocalProvider(database.database.db, { now: () => new Date() }));
  t = await createTestApp({ database, paymentProvider: faults.provider });
  boss = await admin(t);
});
afterAll(() => t.close());

const expectClean = async () =>
  expect(await findViolations(t.database.db, { now: t.clock.now(), sweepIntervalMs: 5000 })).toEqual([]);
const runPayouts = async () => {
  const reply = await post(t, '/api/admin/payouts/run', boss);
  expect(reply.status).toBe(200);
  await t.jobs.drain();
  return reply.body.items as { mechanicId: string; amountCents: number; status: string; id: string }[];
};
/**
 * The payouts made to `m`, oldest first. Read from the table, not from the run's answer: the weekly
 * job (always queued, see the sweeper) may have made them a moment before the admin's run did.
 */
const payoutsTo = async (m: TestUser) =>
  (await t.database.db.select().from(payouts).where(eq(payouts.mechanicId, m.id))).sort(
    (x, y) => x.periodEnd.getTime() - y.periodEnd.getTime(),
  );
const lastPayoutTo = async (m: TestUser) => {
  await runPayouts();
  return (await payoutsTo(m)).at(-1);
};
const earnings = async (m: TestUser) => (await get(t, '/api/mechanic/earnings', m)).body;
/** To the same hour of the next week: one more period has ended. */
const nextWeek = () => t.clock.advanceSeconds(7 * DAY);

/** A completed session of `plan` with mechanic `m` (quick: 999, the mechanic's share 699). */
async function earn(m: TestUser, plan = 'quick') {
  const c = await customer(t);
  const session = await liveSession(t, c, m, { plan });
  await post(t, `/api/sessions/${session.id}/end`, c);
  await t.jobs.drain();
  const [payment] = await t.database.db.select().from(payments).where(eq(payments.sessionId, session.id));
  return { c, session, payment: payment! };
}

/** Each test starts from a fresh week, so periods do not mix across tests. */
const freshWeek = async () => {
  nextWeek();
  await runPayouts();
};

describe('earnings', () => {
  it('balance, pending until the week ends, per session and per week, from the ledger', async () => {
    await freshWeek();
    const m = await mechanic(t);
    const first = await earn(m);
    await earn(m, 'standard'); // 2999: 2099 to the mechanic
    const now = await earnings(m);
    expect(now).toMatchObject({
      currency: 'USD',
      balanceCents: 699 + 2099,
      pendingCents: 699 + 2099,
      heldByDisputesCents: 0,
    });
    expect(Date.parse(now.nextPayoutAt)).toBe(lastPeriodEnd(t.clock.now()).getTime() + 7 * DAY * 1000);
    expect(now.sessions.map((s: { netCents: number }) => s.netCents).sort()).toEqual([2099, 699]);
    expect(now.periods).toEqual([
      expect.objectContaining({ earnedCents: 2798, reversedCents: 0, paidCents: 0, payoutId: null }),
    ]);
    expect(now.payoutAccount).toEqual({ required: false, connected: false });
    // The money view names the payout once it is paid.
    nextWeek();
    const payout = await lastPayoutTo(m);
    expect((await get(t, `/api/sessions/${first.session.id}/money`, m)).body.payoutId).toBe(payout!.id);
    expect(await earnings(m)).toMatchObject({ balanceCents: 0, pendingCents: 0 });
  });

  it('the CSV statement: one row per booking, its amounts summing to the balance', async () => {
    await freshWeek();
    const m = await mechanic(t);
    const { payment } = await earn(m);
    await earn(m);
    await call(t, 'POST', `/api/admin/payments/${payment.id}/refunds`, {
      as: boss,
      body: { amountCents: 333, reason: 'partial refund for the statement' },
      headers: { 'idempotency-key': `csv-${payment.id}` },
    });
    const reply = await get(t, '/api/mechanic/earnings?format=csv', m);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/csv/);
    expect(reply.headers['content-disposition']).toMatch(
      /attachment; filename="autodoctor-earnings-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const [header, ...rows] = String(reply.body)
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    expect(header).toEqual(['date', 'kind', 'reference', 'session', 'amount', 'currency', 'balance']);
    expect(rows.map((r) => r[1])).toEqual(['capture', 'capture', 'refund']);
    const cents = (s: string) => Math.round(Number(s) * 100);
    const sum = rows.reduce((total, r) => total + cents(r[4]!), 0);
    const { balanceCents } = await earnings(m);
    expect(sum).toBe(balanceCents);
    expect(cents(rows.at(-1)![6]!)).toBe(balanceCents);
    expect(rows.at(-1)![4]).toBe('-2.33'); // 699 × 333 / 999 = 233, given back
    expect((await get(t, '/api/mechanic/earnings?format=pdf', m)).status).toBe(400);
  });
});

describe('payouts', () => {
  it('one per mechanic per period, run twice or by the weekly job: paid once, M6 holds', async () => {
    await freshWeek();
    const a = await mechanic(t);
    const b = await mechanic(t);
    await earn(a);
    await earn(b, 'standard');
    expect(await runPayouts()).toEqual([]); // this week has not ended
    nextWeek();
    await runPayouts();
    expect((await payoutsTo(a)).map((p) => p.amountCents)).toEqual([699]);
    expect((await payoutsTo(b)).map((p) => p.amountCents)).toEqual([2099]);
    expect(await runPayouts()).toEqual([]);
    const rows = await t.database.db.select().from(payouts).where(eq(payouts.mechanicId, a.id));
    expect(rows).toEqual([expect.objectContaining({ status: 'paid', amountCents: 699 })]);
    expect(faults.calls('transfer').filter((c) => c.key === `payout:${rows[0]!.id}`)).toHaveLength(1);
    // The weekly job does the same on Monday 00:00 UTC, without an admin.
    await earn(a);
    await sweepOnce(t.ctx); // keeps next Monday's run queued
    nextWeek();
    await t.jobs.drain();
    const weekly = await t.database.db.select().from(payouts).where(eq(payouts.mechanicId, a.id));
    expect(weekly.map((p) => p.amountCents)).toEqual([699, 699]);
    const [job] = await t.database.db
      .select()
      .from(jobs)
      .where(eq(jobs.key, `payouts:${lastPeriodEnd(t.clock.now()).toISOString()}`));
    expect(job!.state).toBe('done');
    await expectClean();
  });

  it('a negative balance carries over: a refund after the payout is taken from the next earnings', async () => {
    await freshWeek();
    const m = await mechanic(t);
    const { payment } = await earn(m);
    nextWeek();
    await runPayouts(); // 699 paid
    await call(t, 'POST', `/api/admin/payments/${payment.id}/refunds`, {
      as: boss,
      body: { reason: 'refunded after the payout' },
      headers: { 'idempotency-key': `carry-${payment.id}` },
    });
    expect((await earnings(m)).balanceCents).toBe(-699);
    await earn(m, 'standard'); // 2099
    nextWeek();
    expect((await lastPayoutTo(m))!.amountCents).toBe(2099 - 699);
    await expectClean();
  });

  it('an open dispute holds the mechanic’s share out of payouts until it is won', async () => {
    await freshWeek();
    const m = await mechanic(t);
    const disputed = await earn(m);
    await earn(m, 'standard');
    await upsertDispute(t.database.db, {
      paymentId: disputed.payment.id,
      providerRef: `dp_${disputed.payment.id}`,
      amountCents: 999,
      reason: 'fraudulent',
      status: 'open',
      openedAt: t.clock.now(),
    });
    expect(await earnings(m)).toMatchObject({ heldByDisputesCents: 699 });
    nextWeek();
    expect((await lastPayoutTo(m))!.amountCents).toBe(2099);
    await closeDispute(t.database.db, `dp_${disputed.payment.id}`, 'won', t.clock.now());
    nextWeek();
    await runPayouts();
    expect((await payoutsTo(m)).map((p) => p.amountCents)).toEqual([2099, 699]);
    await expectClean();
  });

  it('a transfer that keeps failing: the payout is failed and the money is owed to the mechanic again', async () => {
    await freshWeek();
    const m = await mechanic(t);
    await earn(m);
    nextWeek();
    faults.failNext('transfer', 100);
    const payout = await lastPayoutTo(m);
    expect(payout!.status).toBe('paying');
    for (let i = 0; i < 10; i++) {
      t.clock.advanceSeconds(5 * 3600);
      await t.jobs.drain();
    }
    faults.reset();
    const [row] = await t.database.db.select().from(payouts).where(eq(payouts.id, payout!.id));
    expect(row!.status).toBe('failed');
    expect((await earnings(m)).balanceCents).toBe(699);
    await expectClean();
  });

  it('the admin’s list of payouts, filterable by mechanic', async () => {
    const listed = (await get(t, '/api/admin/payouts?limit=500', boss)).body.items;
    expect(listed.length).toBeGreaterThan(3);
    const one = listed[0];
    const mine = (await get(t, `/api/admin/payouts?mechanicId=${one.mechanicId}`, boss)).body.items;
    expect(mine.every((p: { mechanicId: string }) => p.mechanicId === one.mechanicId)).toBe(true);
    expect((await get(t, '/api/admin/payouts?mechanicId=nope', boss)).status).toBe(400);
  });
});

describe('a provider that pays into connected accounts (Stripe Connect)', () => {
  let s: TestApp;
  let sBoss: TestUser;
  beforeAll(async () => {
    const database = await openTestDatabase();
    const local = createLocalProvider(database.database.db, { now: () => new Date() });
    s = await createTestApp({ database, paymentProvider: { ...local, needsPayoutAccount: true } });
    sBoss = await admin(s);
  });
  afterAll(() => s.close());

  it('no account: blocked, the mechanic is told, the balance waits; connected: paid next run', async () => {
    const m = await mechanic(s);
    const c = await customer(s);
    const session = await liveSession(s, c, m);
    await post(s, `/api/sessions/${session.id}/end`, c);
    await s.jobs.drain();
    expect((await get(s, '/api/mechanic/earnings', m)).body.payoutAccount).toEqual({
      required: true,
      connected: false,
    });
    s.clock.advanceSeconds(7 * DAY);
    const blocked = (await post(s, '/api/admin/payouts/run', sBoss)).body.items;
    expect(blocked).toEqual([expect.objectContaining({ status: 'blocked', amountCents: 699 })]);
    expect((await get(s, '/api/mechanic/earnings', m)).body.balanceCents).toBe(699);
    const bad = await post(s, `/api/admin/mechanics/${m.id}/payout-account`, sBoss, {
      accountId: 'bank-123',
      reason: 'x',
    });
    expect(bad.status).toBe(400);
    const set = await post(s, `/api/admin/mechanics/${m.id}/payout-account`, sBoss, {
      accountId: 'acct_1TestMechanic',
      reason: 'onboarded to Connect',
    });
    expect(set.body).toEqual({ userId: m.id, connected: true });
    s.clock.advanceSeconds(7 * DAY);
    const paid = (await post(s, '/api/admin/payouts/run', sBoss)).body.items;
    expect(paid).toEqual([expect.objectContaining({ status: 'paying', amountCents: 699 })]);
    await s.jobs.drain();
    expect((await get(s, '/api/mechanic/earnings', m)).body).toMatchObject({ balanceCents: 0 });
    expect(await findViolations(s.database.db, { now: s.clock.now(), sweepIntervalMs: 5000 })).toEqual([]);
  });
});
