import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findViolations } from '../../src/server/admin/invariants.repository.js';
import { ledgerEntries, ledgerTransactions, localIntents, payments } from '../../src/server/db/schema.js';
import { sweepOnce } from '../../src/server/jobs/sweeper.js';
import { createLocalProvider } from '../../src/server/payments/local-provider.js';
import {
  admin,
  customer,
  mechanic,
  paidSessionBody,
  payFor,
  sessionBody,
  TEST_CARD,
  type TestUser,
} from '../factories/index.js';
import { acceptedSession, liveSession, pendingSession } from '../factories/sessions.js';
import { call, get, post } from '../helpers/http.js';
import { createTestApp, openTestDatabase, type TestApp } from '../helpers/test-app.js';
import { flaky } from '../helpers/flaky-provider.js';

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
const ledgerOf = async (paymentId: string) =>
  (
    await t.database.db
      .select({
        reference: ledgerTransactions.reference,
        account: ledgerEntries.account,
        amount: ledgerEntries.amountCents,
      })
      .from(ledgerTransactions)
      .innerJoin(ledgerEntries, eq(ledgerEntries.transactionId, ledgerTransactions.id))
      .where(eq(ledgerTransactions.paymentId, paymentId))
  ).map((r) => [r.account.replace(/^mechanic:.*/, 'mechanic'), r.amount]);
const end = (id: string, as: TestUser) => post(t, `/api/sessions/${id}/end`, as);
const expectClean = async () =>
  expect(
    await findViolations(t.database.db, { now: t.clock.now(), sweepIntervalMs: 5000, noShowFeePercent: 50 }),
  ).toEqual([]);

describe('checkout and authorisation with the test cards', () => {
  it('checkout prices the plan on the server; the test card authorises it', async () => {
    const c = await customer(t);
    const checkout = await post(t, '/api/payments/checkout', c, { plan: 'standard' });
    expect(checkout.status).toBe(201);
    expect(checkout.body).toMatchObject({
      status: 'requires_payment_method',
      amountCents: 2999,
      currency: 'USD',
      provider: 'local',
    });
    const confirmed = await post(t, `/api/payments/${checkout.body.id}/confirm`, c, TEST_CARD);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'authorized', card: { brand: 'visa', last4: '4242' } });
    // The hold exists at the provider, for the plan's price.
    const [intent] = await t.database.db
      .select()
      .from(localIntents)
      .where(eq(localIntents.metadata, { paymentId: checkout.body.id, customerId: c.id }));
    expect(intent).toMatchObject({ status: 'requires_capture', amountCapturable: 2999 });
  });

  it.each([
    ['4000 0000 0000 0002', 'generic_decline'],
    ['4000 0000 0000 9995', 'insufficient_funds'],
  ])('%s is declined (%s): 402 with the decline code, and no session can use it', async (number, declineCode) => {
    const c = await customer(t);
    const checkout = await post(t, '/api/payments/checkout', c, { plan: 'quick' });
    const declined = await post(t, `/api/payments/${checkout.body.id}/confirm`, c, {
      ...TEST_CARD,
      cardNumber: number,
    });
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ code: 'PAYMENT_DECLINED', declineCode });
    expect((await get(t, `/api/payments/${checkout.body.id}`, c)).body).toMatchObject({
      status: 'failed',
      declineCode,
    });
    const create = await post(t, '/api/sessions', c, sessionBody({ paymentId: checkout.body.id }));
    expect(create.status).toBe(402);
    expect(create.body.code).toBe('PAYMENT_REQUIRED');
  });

  it('a mistyped number, an expired card and a bad CVC say so', async () => {
    const c = await customer(t);
    for (const [card, code] of [
      [{ ...TEST_CARD, cardNumber: '4242 4242 4242 4241' }, 'incorrect_number'],
      [{ ...TEST_CARD, expYear: 2020 }, 'expired_card'],
    ] as const) {
      const checkout = await post(t, '/api/payments/checkout', c, { plan: 'quick' });
      const reply = await post(t, `/api/payments/${checkout.body.id}/confirm`, c, card);
      expect(reply.body.declineCode).toBe(code);
    }
    const checkout = await post(t, '/api/payments/checkout', c, { plan: 'quick' });
    const cvc = await post(t, `/api/payments/${checkout.body.id}/confirm`, c, { ...TEST_CARD, cvc: '1' });
    expect(cvc.status).toBe(400);
    expect(cvc.body.errors[0].path).toBe('body.cvc');
  });

  it('a paid plan needs an authorised payment of its own: none, another plan’s, another customer’s or a used one are PAYMENT_REQUIRED', async () => {
    const c = await customer(t);
    expect((await post(t, '/api/sessions', c, sessionBody())).body.code).toBe('PAYMENT_REQUIRED');
    const forStandard = await payFor(t, c, 'standard');
    expect((await post(t, '/api/sessions', c, sessionBody({ paymentId: forStandard }))).body.code).toBe(
      'PAYMENT_REQUIRED',
    );
    const other = await customer(t);
    const theirs = await payFor(t, other, 'quick');
    expect((await post(t, '/api/sessions', c, sessionBody({ paymentId: theirs }))).body.code).toBe('PAYMENT_REQUIRED');
    const mine = await payFor(t, c, 'quick');
    const first = await post(t, '/api/sessions', c, sessionBody({ paymentId: mine }));
    expect(first.status).toBe(201);
    await end(first.body.id, c); // cancelled: the hold is released
    expect((await post(t, '/api/sessions', c, sessionBody({ paymentId: mine }))).body.code).toBe('PAYMENT_REQUIRED');
    expect((await post(t, '/api/sessions', c, sessionBody({ plan: 'free', paymentId: mine }))).status).toBe(400);
  });

  it('the free plan needs no payment, and checkout refuses it', async () => {
    const c = await customer(t);
    expect((await post(t, '/api/payments/checkout', c, { plan: 'free' })).status).toBe(400);
    expect((await post(t, '/api/sessions', c, sessionBody({ plan: 'free' }))).status).toBe(201);
  });
});

describe('money follows the lifecycle (payments.md §3, every row)', () => {
  it('completed by a participant (T10): the plan price is captured and split 70/30', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    await end(session.id, c);
    await t.jobs.drain();
    const payment = await paymentOf(session.id);
    expect(payment).toMatchObject({ status: 'captured', capturedCents: 999 });
    expect(await ledgerOf(payment.id)).toEqual(
      expect.arrayContaining([
        ['provider', 999],
        ['mechanic', -699],
        ['platform_revenue', -300],
      ]),
    );
    await expectClean();
  });

  it('completed at the time limit (T11) and abandoned (T12): captured', async () => {
    const c = await customer(t);
    const timed = await liveSession(t, c, await mechanic(t));
    for (let minute = 0; minute < 33; minute++) {
      t.clock.advanceSeconds(60);
      await get(t, `/api/sessions/${timed.id}`, c);
      await sweepOnce(t.ctx);
    }
    await t.jobs.drain();
    expect((await get(t, `/api/sessions/${timed.id}`, boss)).body.endReason).toBe('time_limit');
    expect((await paymentOf(timed.id)).status).toBe('captured');
    const c2 = await customer(t);
    const left = await liveSession(t, c2, await mechanic(t));
    t.clock.advanceSeconds(301);
    await sweepOnce(t.ctx);
    await t.jobs.drain();
    expect((await get(t, `/api/sessions/${left.id}`, boss)).body.endReason).toBe('abandoned');
    expect((await paymentOf(left.id)).status).toBe('captured');
  });

  it('the customer did not show (T8 after the window, T9 customer): the 50% no-show fee, the rest released', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await acceptedSession(t, c, m);
    await post(t, `/api/sessions/${session.id}/join`, m);
    t.clock.advanceSeconds(601);
    await end(session.id, m); // T8 after the join window: customer no-show
    await t.jobs.drain();
    const payment = await paymentOf(session.id);
    expect(payment).toMatchObject({ status: 'captured', capturedCents: 500 });
    expect(await ledgerOf(payment.id)).toEqual(
      expect.arrayContaining([
        ['provider', 500],
        ['mechanic', -350],
        ['platform_revenue', -150],
      ]),
    );
    const c2 = await customer(t);
    const m2 = await mechanic(t);
    const swept = await acceptedSession(t, c2, m2);
    await post(t, `/api/sessions/${swept.id}/join`, m2);
    t.clock.advanceSeconds(601);
    await sweepOnce(t.ctx); // T9, party customer
    await t.jobs.drain();
    expect((await paymentOf(swept.id)).capturedCents).toBe(500);
  });

  it.each([
    [
      'expired (T4)',
      async () => {
        const c = await customer(t);
        const s = await pendingSession(t, c);
        t.clock.advanceSeconds(901);
        await sweepOnce(t.ctx);
        return s.id;
      },
    ],
    [
      'cancelled before acceptance (T3)',
      async () => {
        const c = await customer(t);
        const s = await pendingSession(t, c);
        await end(s.id, c);
        return s.id;
      },
    ],
    [
      'cancelled by the customer (T7)',
      async () => {
        const c = await customer(t);
        const s = await acceptedSession(t, c, await mechanic(t));
        await end(s.id, c);
        return s.id;
      },
    ],
    [
      'cancelled by the mechanic (T8)',
      async () => {
        const m = await mechanic(t);
        const s = await acceptedSession(t, await customer(t), m);
        await end(s.id, m);
        return s.id;
      },
    ],
    [
      'the mechanic did not show (T7 after the window)',
      async () => {
        const c = await customer(t);
        const s = await acceptedSession(t, c, await mechanic(t));
        await post(t, `/api/sessions/${s.id}/join`, c);
        t.clock.advanceSeconds(601);
        await end(s.id, c);
        return s.id;
      },
    ],
    [
      'nobody showed (T9 both)',
      async () => {
        const s = await acceptedSession(t, await customer(t), await mechanic(t));
        t.clock.advanceSeconds(601);
        await sweepOnce(t.ctx);
        return s.id;
      },
    ],
    [
      'force-ended while pending (T13)',
      async () => {
        const s = await pendingSession(t, await customer(t));
        await post(t, `/api/admin/sessions/${s.id}/force-end`, boss, { reason: 'test' });
        return s.id;
      },
    ],
    [
      'force-ended while accepted (T13)',
      async () => {
        const s = await acceptedSession(t, await customer(t), await mechanic(t));
        await post(t, `/api/admin/sessions/${s.id}/force-end`, boss, { reason: 'test' });
        return s.id;
      },
    ],
  ])('%s: voided, nothing charged', async (_name, play) => {
    const sessionId = await play();
    await t.jobs.drain();
    const payment = await paymentOf(sessionId);
    expect(payment).toMatchObject({ status: 'voided', capturedCents: 0 });
    const [intent] = await t.database.db.select().from(localIntents).where(eq(localIntents.id, payment.providerRef!));
    expect(intent!.status).toBe('canceled');
    expect(await ledgerOf(payment.id)).toEqual([]);
  });

  it('force-ended while live (T13): captured (an admin refunds after, if need be)', async () => {
    const s = await liveSession(t, await customer(t), await mechanic(t));
    await post(t, `/api/admin/sessions/${s.id}/force-end`, boss, { reason: 'test' });
    await t.jobs.drain();
    expect((await paymentOf(s.id)).status).toBe('captured');
  });

  it('an authorised payment no session takes within 30 minutes is released', async () => {
    const c = await customer(t);
    const id = await payFor(t, c, 'quick');
    t.clock.advanceSeconds(29 * 60);
    await t.jobs.drain();
    expect((await get(t, `/api/payments/${id}`, c)).body.status).toBe('authorized');
    t.clock.advanceSeconds(61);
    await t.jobs.drain();
    expect((await get(t, `/api/payments/${id}`, c)).body.status).toBe('voided');
  });
});

describe('exactly once, whatever fails', () => {
  it('the server dies between the terminal commit and the capture: captured once after the restart', async () => {
    const database = await openTestDatabase();
    const keep = { database: database.database, url: database.url, dispose: async () => {} };
    const before = await createTestApp({ database: keep, withoutJobRunner: true });
    const c = await customer(before);
    const session = await liveSession(before, c, await mechanic(before));
    await post(before, `/api/sessions/${session.id}/end`, c);
    await before.close(); // "killed": the settlement job is committed, not run
    const [pending] = await database.database.db.select().from(payments).where(eq(payments.sessionId, session.id));
    expect(pending!.status).toBe('authorized');
    const after = await createTestApp({ database });
    try {
      await after.jobs.drain();
      await after.jobs.drain(); // and running it again changes nothing
      const [settled] = await database.database.db.select().from(payments).where(eq(payments.sessionId, session.id));
      expect(settled).toMatchObject({ status: 'captured', capturedCents: 999 });
      const captures = await database.database.db
        .select()
        .from(ledgerTransactions)
        .where(eq(ledgerTransactions.paymentId, settled!.id));
      expect(captures).toHaveLength(1);
    } finally {
      await after.close();
    }
  });

  it('the provider answers 5xx, then captures but loses the answer: retried with the same key, charged once', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    faults.reset();
    faults.failNext('capture', 1); // an outage
    await end(session.id, c);
    await t.jobs.drain();
    expect((await paymentOf(session.id)).status).toBe('authorized'); // waiting for its retry
    faults.failNext('capture', 1, true); // captured at the provider, answer lost
    t.clock.advanceSeconds(2);
    await t.jobs.drain();
    t.clock.advanceSeconds(10);
    await t.jobs.drain();
    const payment = await paymentOf(session.id);
    expect(payment).toMatchObject({ status: 'captured', capturedCents: 999 });
    // The first attempt under capture:<id>; the retry asked first, then captured under a key of
    // its own (a provider may have saved the outage under the first); the last found it done.
    const keys = faults.calls('capture').map((call) => call.key);
    expect(keys).toEqual([`capture:${payment.id}`, `capture:${payment.id}:2`]);
    const [intent] = await t.database.db.select().from(localIntents).where(eq(localIntents.id, payment.providerRef!));
    expect(intent!.amountReceived).toBe(999);
  });

  it('a provider that keeps failing: capture_failed for an admin, who retries it', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    faults.reset();
    faults.failNext('capture', 100);
    await end(session.id, c);
    for (let i = 0; i < 10; i++) {
      await t.jobs.drain();
      t.clock.advanceSeconds(3600);
    }
    const payment = await paymentOf(session.id);
    expect(payment.status).toBe('capture_failed');
    const failed = await get(t, '/api/admin/payments?status=capture_failed', boss);
    expect(failed.body.items.map((p: { id: string }) => p.id)).toContain(payment.id);
    const dead = await get(t, '/api/admin/jobs?state=dead', boss);
    expect(dead.body.items.find((j: { key: string }) => j.key === `settle:${session.id}`)).toMatchObject({
      state: 'dead',
      lastError: expect.stringContaining('did not answer capture'),
    });
    faults.reset();
    const retried = await post(t, `/api/admin/payments/${payment.id}/retry`, boss);
    expect(retried.status).toBe(202);
    await t.jobs.drain();
    expect((await paymentOf(session.id)).status).toBe('captured');
    await expectClean();
  });
});

describe('what customers and mechanics see', () => {
  it('the money view: the customer sees the card and both shares, the mechanic their share only', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    expect((await get(t, `/api/sessions/${session.id}/money`, c)).body.outcome).toBe('authorized');
    await end(session.id, m);
    await t.jobs.drain();
    const mine = await get(t, `/api/sessions/${session.id}/money`, c);
    expect(mine.body).toMatchObject({
      outcome: 'charged',
      capturedCents: 999,
      mechanicShareCents: 699,
      platformShareCents: 300,
      payment: { card: { last4: '4242' } },
    });
    const theirs = await get(t, `/api/sessions/${session.id}/money`, m);
    expect(theirs.body).toMatchObject({ payment: null, mechanicShareCents: 699, platformShareCents: 0 });
    expect((await get(t, `/api/sessions/${session.id}/money`, await customer(t))).status).toBe(404);
  });

  it('receipts list what was charged and on which card', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    await end(session.id, c);
    await t.jobs.drain();
    const receipts = await get(t, '/api/customer/receipts', c);
    expect(receipts.body.items).toEqual([
      expect.objectContaining({
        sessionId: session.id,
        capturedCents: 999,
        authorizedCents: 999,
        card: { brand: 'visa', last4: '4242' },
      }),
    ]);
  });
});

describe('who may call the payment endpoints', () => {
  it('anonymous 401; mechanics and admins cannot check out; only the owner (or an admin) reads a payment', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const id = await payFor(t, c);
    expect((await post(t, '/api/payments/checkout', undefined, { plan: 'quick' })).status).toBe(401);
    expect((await post(t, '/api/payments/checkout', m, { plan: 'quick' })).status).toBe(403);
    expect((await post(t, '/api/payments/checkout', boss, { plan: 'quick' })).status).toBe(403);
    expect((await post(t, `/api/payments/${id}/confirm`, await customer(t), TEST_CARD)).status).toBe(404);
    expect((await get(t, `/api/payments/${id}`, await customer(t))).status).toBe(404);
    expect((await get(t, `/api/payments/${id}`, m)).status).toBe(404);
    expect((await get(t, `/api/payments/${id}`, boss)).status).toBe(200);
    expect((await get(t, '/api/customer/receipts', m)).status).toBe(403);
    for (const url of ['/api/admin/payments', '/api/admin/jobs']) {
      expect((await get(t, url, undefined)).status).toBe(401);
      expect((await get(t, url, c)).status).toBe(403);
      expect((await get(t, url, m)).status).toBe(403);
    }
    expect(
      (
        await call(t, 'POST', '/api/payments/webhooks/stripe', {
          rawBody: '{}',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(404);
    expect((await get(t, '/api/payments/config')).body).toMatchObject({
      provider: 'local',
      testCards: true,
      offerWindowMinutes: 15,
    });
  });
});

describe('paidSessionBody', () => {
  it('is what the factories use', async () => {
    const c = await customer(t);
    const body = await paidSessionBody(t, c, { plan: 'diagnostic' });
    expect(body.paymentId).toEqual(expect.any(String));
  });
});
