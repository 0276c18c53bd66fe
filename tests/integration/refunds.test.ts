import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findViolations } from '../../src/server/admin/invariants.repository.js';
import { adminActions, ledgerEntries, ledgerTransactions, localIntents, payments } from '../../src/server/db/schema.js';
import { createLocalProvider } from '../../src/server/payments/local-provider.js';
import { admin, customer, mechanic, type TestUser } from '../factories/index.js';
import { acceptedSession, liveSession } from '../factories/sessions.js';
import { call, get, post } from '../helpers/http.js';
import { flaky } from '../helpers/flaky-provider.js';
import { createTestApp, openTestDatabase, type TestApp } from '../helpers/test-app.js';

/* Refunds, refund requests (payments.md §3): never more than captured, the mechanic's share reversed in proportion. */

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

const paymentOf = async (sessionId: string) => {
  const [row] = await t.database.db.select().from(payments).where(eq(payments.sessionId, sessionId));
  return row!;
};
/** The ledger's entries of one refund: [account kind, cents]. */
const bookingOf = async (reference: string) =>
  (
    await t.database.db
      .select({ account: ledgerEntries.account, amount: ledgerEntries.amountCents })
      .from(ledgerTransactions)
      .innerJoin(ledgerEntries, eq(ledgerEntries.transactionId, ledgerTransactions.id))
      .where(eq(ledgerTransactions.reference, reference))
  )
    .map((r) => [r.account.split(':')[0], r.amount])
    .sort();
const refund = (paymentId: string, body: object, key?: string) =>
  call(t, 'POST', `/api/admin/payments/${paymentId}/refunds`, {
    as: boss,
    body,
    headers: key ? { 'idempotency-key': key } : {},
  });
const expectClean = async () =>
  expect(await findViolations(t.database.db, { now: t.clock.now(), sweepIntervalMs: 5000 })).toEqual([]);

/** A completed, captured session of `plan`: the customer, its mechanic and the payment. */
async function charged(plan = 'quick', extensionBlocks = 0) {
  const c = await customer(t);
  const m = await mechanic(t);
  const session = await liveSession(t, c, m, { plan });
  if (extensionBlocks) await post(t, `/api/sessions/${session.id}/extensions`, c, { blocks: extensionBlocks });
  await post(t, `/api/sessions/${session.id}/end`, c);
  await t.jobs.drain();
  return { c, m, session, payment: await paymentOf(session.id) };
}

describe('admin refunds', () => {
  it('partial, then the rest: the mechanic gives back their share in proportion, exactly all of it in the end', async () => {
    const { c, payment } = await charged();
    const first = await refund(payment.id, { amountCents: 300, reason: 'the call dropped twice' }, 'r-1');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ amountCents: 300, status: 'succeeded', reason: 'the call dropped twice' });
    expect((await get(t, `/api/payments/${payment.id}`, c)).body).toMatchObject({
      status: 'partially_refunded',
      refundedCents: 300,
    });
    // 999 captured: mechanic 699, platform 300. A refund of 300 reverses 699 × 300 / 999 = 209.9 → 210.
    expect(await bookingOf(`refund:${first.body.id}`)).toEqual([
      ['mechanic', 210],
      ['platform_revenue', 90],
      ['provider', -300],
    ]);
    const rest = await refund(payment.id, { reason: 'goodwill: the rest' }, 'r-2');
    expect(rest.body).toMatchObject({ amountCents: 699, status: 'succeeded' });
    expect(await bookingOf(`refund:${rest.body.id}`)).toEqual([
      ['mechanic', 489],
      ['platform_revenue', 210],
      ['provider', -699],
    ]);
    const money = (await get(t, `/api/sessions/${payment.sessionId}/money`, c)).body;
    expect(money).toMatchObject({ refundedCents: 999, mechanicShareCents: 0, platformShareCents: 0 });
    expect(money.payment.status).toBe('refunded');
    const [intent] = await t.database.db.select().from(localIntents).where(eq(localIntents.id, payment.providerRef!));
    expect(intent!.amountRefunded).toBe(999);
    // Audited, with the reason.
    const audit = await t.database.db.select().from(adminActions).where(eq(adminActions.targetId, payment.id));
    expect(audit.map((a) => [a.action, a.reason])).toEqual([
      ['payment.refund', 'the call dropped twice'],
      ['payment.refund', 'goodwill: the rest'],
    ]);
    await expectClean();
  });

  it('never more than was charged: REFUND_EXCEEDS_CAPTURE says how much is left', async () => {
    const { payment } = await charged();
    const over = await refund(payment.id, { amountCents: 1000, reason: 'too much' }, 'over-1');
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ code: 'REFUND_EXCEEDS_CAPTURE', refundableCents: 999 });
    await refund(payment.id, { amountCents: 900, reason: 'most of it' }, 'over-2');
    const again = await refund(payment.id, { amountCents: 100, reason: 'one more' }, 'over-3');
    expect(again.body).toMatchObject({ code: 'REFUND_EXCEEDS_CAPTURE', refundableCents: 99 });
    await refund(payment.id, { reason: 'the last cents' }, 'over-4');
    const none = await refund(payment.id, { reason: 'nothing left' }, 'over-5');
    expect(none.body).toMatchObject({ code: 'INVALID_TRANSITION' });
    await expectClean();
  });

  it('the same Idempotency-Key is the same refund; with another body it is refused; without one it is refused', async () => {
    const { payment } = await charged();
    const body = { amountCents: 250, reason: 'retried by a flaky network' };
    const first = await refund(payment.id, body, 'same-key');
    const retry = await refund(payment.id, body, 'same-key');
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect((await paymentOf(payment.sessionId!)).refundedCents).toBe(250);
    const other = await refund(payment.id, { ...body, amountCents: 251 }, 'same-key');
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_MISMATCH');
    const keyless = await refund(payment.id, body);
    expect(keyless.status).toBe(400);
    expect(keyless.body.errors).toEqual([{ path: 'headers.idempotency-key', message: 'is required' }]);
    expect(faults.calls('refund').filter((c) => c.key === `refund:${first.body.id}`)).toHaveLength(1);
  });

  it('a refund across the plan and an extension takes from each charge, each under its own key', async () => {
    const { payment } = await charged('quick', 1); // 999 + 499
    expect(payment.capturedCents).toBe(1498);
    const all = await refund(payment.id, { reason: 'the whole thing' }, 'across');
    expect(all.body).toMatchObject({ amountCents: 1498, status: 'succeeded' });
    expect(
      faults
        .calls('refund')
        .slice(-2)
        .map((c) => c.key),
    ).toEqual([`refund:${all.body.id}`, `refund:${all.body.id}:1`]);
    expect((await paymentOf(payment.sessionId!)).status).toBe('refunded');
    // The mechanic was credited 699 + 349 and gives back exactly that.
    expect(await bookingOf(`refund:${all.body.id}`)).toEqual([
      ['mechanic', 1048],
      ['platform_revenue', 450],
      ['provider', -1498],
    ]);
    await expectClean();
  });

  it('the provider down: the refund waits as pending and the job completes it, once', async () => {
    const { payment } = await charged();
    faults.failNext('refund', 1, true); // refunded at the provider, the answer lost
    const reply = await refund(payment.id, { amountCents: 500, reason: 'provider outage' }, 'outage');
    expect(reply.status).toBe(201);
    expect(reply.body.status).toBe('pending');
    // What is pending counts: nobody can refund the same money twice meanwhile.
    const meanwhile = await refund(payment.id, { amountCents: 500, reason: 'again' }, 'outage-2');
    expect(meanwhile.body).toMatchObject({ code: 'REFUND_EXCEEDS_CAPTURE', refundableCents: 499 });
    t.clock.advanceSeconds(31);
    await t.jobs.drain();
    const story = (await get(t, `/api/admin/payments/${payment.id}`, boss)).body;
    expect(story.refunds).toEqual([expect.objectContaining({ status: 'succeeded', amountCents: 500 })]);
    const [intent] = await t.database.db.select().from(localIntents).where(eq(localIntents.id, payment.providerRef!));
    expect(intent!.amountRefunded).toBe(500);
    await expectClean();
  });

  it('nothing charged, nothing to refund', async () => {
    const c = await customer(t);
    const session = await acceptedSession(t, c, await mechanic(t));
    const payment = await paymentOf(session.id);
    const reply = await refund(payment.id, { reason: 'not yet' }, 'early');
    expect(reply.status).toBe(409);
    expect(reply.body.code).toBe('INVALID_TRANSITION');
    expect((await refund('00000000-0000-4000-8000-000000000000', { reason: 'x' }, 'k')).status).toBe(404);
    expect((await refund(payment.id, { reason: '' }, 'k')).status).toBe(400);
    expect((await refund(payment.id, { reason: 'x', amountCents: -5 }, 'k')).status).toBe(400);
    expect((await refund(payment.id, { reason: 'x', amountCents: 1.5 }, 'k')).status).toBe(400);
  });
});

describe('the customer’s refund request', () => {
  it('within 7 days; the admin approves, and the customer sees the refund on the receipt', async () => {
    const { c, session, payment } = await charged();
    const asked = await post(t, `/api/sessions/${session.id}/refund-request`, c, {
      reason: 'The mechanic could not tell me what the noise was.',
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ status: 'pending', sessionId: session.id, paymentId: payment.id });
    const twice = await post(t, `/api/sessions/${session.id}/refund-request`, c, { reason: 'Asking a second time.' });
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toMatch(/already asked/);

    const queue = (await get(t, '/api/admin/refund-requests', boss)).body.items;
    expect(queue.find((r: { id: string }) => r.id === asked.body.id)).toMatchObject({
      customerEmail: c.email,
      capturedCents: 999,
    });
    const decided = await post(t, `/api/admin/refund-requests/${asked.body.id}/decide`, boss, {
      approve: true,
      amountCents: 500,
      note: 'Half back: the diagnosis was incomplete.',
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      status: 'approved',
      decisionNote: 'Half back: the diagnosis was incomplete.',
    });
    expect(decided.body.refundId).toBeTruthy();
    const again = await post(t, `/api/admin/refund-requests/${asked.body.id}/decide`, boss, {
      approve: false,
      note: 'no',
    });
    expect(again.status).toBe(409);

    const receipt = (await get(t, '/api/customer/receipts', c)).body.items.find(
      (r: { sessionId: string }) => r.sessionId === session.id,
    );
    expect(receipt).toMatchObject({
      refundedCents: 500,
      refundRequest: 'approved',
      paymentStatus: 'partially_refunded',
    });
    const money = (await get(t, `/api/sessions/${session.id}/money`, c)).body;
    expect(money.refundRequest).toMatchObject({ status: 'approved' });
    expect(money.refunds).toEqual([expect.objectContaining({ amountCents: 500, status: 'succeeded' })]);
    await expectClean();
  });

  it('declined with a note the customer reads; the mechanic sees none of it', async () => {
    const { c, m, session } = await charged();
    const asked = await post(t, `/api/sessions/${session.id}/refund-request`, c, {
      reason: 'I changed my mind about it.',
    });
    const declined = await post(t, `/api/admin/refund-requests/${asked.body.id}/decide`, boss, {
      approve: false,
      note: 'The session ran its full time and the report is complete.',
    });
    expect(declined.body).toMatchObject({ status: 'declined' });
    expect((await get(t, `/api/sessions/${session.id}/money`, c)).body.refundRequest).toMatchObject({
      status: 'declined',
      decisionNote: 'The session ran its full time and the report is complete.',
    });
    const theirs = (await get(t, `/api/sessions/${session.id}/money`, m)).body;
    expect(theirs).toMatchObject({ refundRequest: null, refunds: [], payment: null });
    const missingNote = await post(t, `/api/admin/refund-requests/${asked.body.id}/decide`, boss, { approve: false });
    expect(missingNote.status).toBe(400);
  });

  it('not after 7 days, not for a session that was not completed, not from anyone else', async () => {
    const { c, m, session } = await charged();
    const reason = { reason: 'Long after the fact, sadly.' };
    expect((await post(t, `/api/sessions/${session.id}/refund-request`, m, reason)).status).toBe(403);
    expect((await post(t, `/api/sessions/${session.id}/refund-request`, await customer(t), reason)).status).toBe(404);
    expect((await post(t, `/api/sessions/${session.id}/refund-request`, c, { reason: 'short' })).status).toBe(400);
    t.clock.advanceSeconds(7 * 86_400 + 1);
    const late = await post(t, `/api/sessions/${session.id}/refund-request`, c, reason);
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/within 7 days/);
    const c2 = await customer(t);
    const cancelled = await acceptedSession(t, c2, await mechanic(t));
    await post(t, `/api/sessions/${cancelled.id}/end`, c2);
    expect((await post(t, `/api/sessions/${cancelled.id}/refund-request`, c2, reason)).status).toBe(409);
  });
});

describe('who may do what', () => {
  it('every money endpoint of part 2 refuses the wrong people', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const id = '00000000-0000-4000-8000-000000000000';
    const adminOnly: [string, string, object?][] = [
      ['GET', `/api/admin/payments/${id}`],
      ['POST', `/api/admin/payments/${id}/refunds`, { reason: 'x' }],
      ['GET', '/api/admin/refund-requests'],
      ['POST', `/api/admin/refund-requests/${id}/decide`, { approve: false, note: 'x' }],
      ['GET', '/api/admin/disputes'],
      ['GET', '/api/admin/payouts'],
      ['POST', '/api/admin/payouts/run', {}],
      ['POST', `/api/admin/mechanics/${m.id}/payout-account`, { accountId: null, reason: 'x' }],
    ];
    for (const [method, url, body] of adminOnly) {
      expect((await call(t, method as 'GET', url, { body })).status, `${method} ${url} anonymous`).toBe(401);
      for (const who of [c, m]) {
        expect((await call(t, method as 'GET', url, { as: who, body })).status, `${method} ${url}`).toBe(403);
      }
    }
    expect((await get(t, '/api/mechanic/earnings')).status).toBe(401);
    expect((await get(t, '/api/mechanic/earnings', c)).status).toBe(403);
    expect((await get(t, '/api/mechanic/earnings', boss)).status).toBe(403);
    expect(
      (await post(t, `/api/sessions/${id}/refund-request`, undefined, { reason: 'long enough reason' })).status,
    ).toBe(401);
    expect((await post(t, `/api/sessions/${id}/refund-request`, m, { reason: 'long enough reason' })).status).toBe(403);
  });
});
