import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerEntries, ledgerTransactions, payments } from '../../src/server/db/schema.js';
import { findProviderCustomer } from '../../src/server/payments/payment.repository.js';
import {
  PaymentDeclined,
  ProviderRefused,
  ProviderUnavailable,
  type PaymentProvider,
} from '../../src/server/payments/provider.js';
import { createStripeProvider } from '../../src/server/payments/stripe-provider.js';
import { customer, mechanic, sessionBody, type TestUser } from '../factories/index.js';
import { acceptedSession, liveSession, pendingSession } from '../factories/sessions.js';
import { post } from '../helpers/http.js';
import {
  intentOfClientSecret,
  STAND_IN_KEYS,
  standInProvider,
  startStripeStandIn,
  type RecordedRequest,
  type StripeStandIn,
  type TestCard,
} from '../helpers/stripe-stand-in.js';
import { createTestApp, openTestDatabase, type TestApp } from '../helpers/test-app.js';

/*
 * The Stripe adapter (src/server/payments/stripe-provider.ts) on the official SDK, against a
 * local HTTP stand-in of Stripe's API (tests/helpers/stripe-stand-in.ts): first through the app's
 * own routes and jobs, as the browser and the server use it, then call by call.
 */

let standIn: StripeStandIn;
let provider: PaymentProvider;
let t: TestApp;

beforeAll(async () => {
  standIn = await startStripeStandIn();
  const database = await openTestDatabase();
  // A short timeout keeps the lost-answer cases quick; loopback answers in milliseconds.
  provider = standInProvider(standIn, database.database.db, { timeoutMs: 1_500 });
  t = await createTestApp({ database, paymentProvider: provider });
});
afterAll(async () => {
  await t?.close();
  await standIn?.close();
});

const paymentRow = async (id: string) => (await t.database.db.select().from(payments).where(eq(payments.id, id)))[0]!;
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
  ).map((r) => [r.reference, r.account.replace(/^mechanic:.*/, 'mechanic'), r.amount]);

/** Requests to the stand-in since `from`, optionally only those of one method and path. */
const requestsSince = (from: number, method?: string, path?: string | RegExp): RecordedRequest[] =>
  standIn.requests
    .slice(from)
    .filter(
      (r) =>
        (!method || r.method === method) && (!path || (typeof path === 'string' ? r.path === path : path.test(r.path))),
    );

/** Checkout through the route, as the web app does: a Payment with the client secret for the Payment Element. */
async function checkout(c: TestUser, plan = 'quick') {
  const reply = await post(t, '/api/payments/checkout', c, { plan });
  expect(reply.status).toBe(201);
  const intentId = intentOfClientSecret(reply.body.clientSecret as string);
  return { paymentId: reply.body.id as string, intentId, body: reply.body };
}

/** Checkout, then the browser confirms the card with Stripe (the Payment Element). */
async function paidWithStripe(c: TestUser, card: TestCard = 'pm_card_visa', plan = 'quick') {
  const paid = await checkout(c, plan);
  standIn.confirm(paid.intentId, card);
  return paid;
}

const intentInput = (user: TestUser, overrides: Partial<Parameters<PaymentProvider['createIntent']>[0]> = {}) => ({
  amountCents: 999,
  currency: 'USD',
  paymentId: crypto.randomUUID(),
  customerId: user.id,
  customerEmail: user.email,
  idempotencyKey: `authorize:${crypto.randomUUID()}`,
  ...overrides,
});

const EXPAND = ['payment_method', 'latest_charge'];

describe('through the routes: checkout, the browser, the session, the settlement', () => {
  it('checkout opens a manual-capture PaymentIntent for the plan’s price, on the user’s Stripe customer, under authorize:<paymentId>', async () => {
    const c = await customer(t);
    const from = standIn.requests.length;
    const { paymentId, intentId, body } = await checkout(c, 'standard');
    expect(body).toMatchObject({ provider: 'stripe', status: 'requires_payment_method', amountCents: 2999 });
    expect(body.clientSecret).toMatch(/^pi_\w+_secret_\w+$/);

    const [create] = requestsSince(from, 'POST', '/v1/payment_intents');
    expect(create).toMatchObject({
      idempotencyKey: `authorize:${paymentId}`,
      status: 200,
      body: {
        amount: '2999',
        currency: 'usd',
        customer: expect.stringMatching(/^cus_/),
        capture_method: 'manual',
        setup_future_usage: 'off_session',
        automatic_payment_methods: { enabled: 'true', allow_redirects: 'never' },
        metadata: { paymentId },
      },
    });
    expect(standIn.intent(intentId)).toMatchObject({
      object: 'payment_intent',
      status: 'requires_payment_method',
      amount: 2999,
      amount_capturable: 0,
      amount_received: 0,
      capture_method: 'manual',
      client_secret: body.clientSecret,
      customer: create!.body.customer,
      metadata: { paymentId },
    });
    expect((await paymentRow(paymentId)).providerRef).toBe(intentId);
  });

  it('confirmed in the browser: POST /api/sessions syncs the intent, attaches it, and the ended session is captured once under capture:<paymentId>', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const { paymentId, intentId } = await paidWithStripe(c);
    const from = standIn.requests.length;

    const session = await liveSession(t, c, m, { paymentId });
    // The sync: the intent retrieved with its card, before the session was created.
    expect(requestsSince(from, 'GET', `/v1/payment_intents/${intentId}`)).toEqual([
      expect.objectContaining({ body: { expand: EXPAND }, status: 200, idempotencyKey: null }),
    ]);
    expect(await paymentRow(paymentId)).toMatchObject({
      status: 'authorized',
      sessionId: session.id,
      cardBrand: 'visa',
      cardLast4: '4242',
      clientSecret: null,
    });

    await post(t, `/api/sessions/${session.id}/end`, c);
    await t.jobs.drain();
    await t.jobs.drain(); // and running the settlement again changes nothing

    const captures = requestsSince(from, 'POST', `/v1/payment_intents/${intentId}/capture`);
    expect(captures).toEqual([
      expect.objectContaining({
        idempotencyKey: `capture:${paymentId}`,
        body: { amount_to_capture: '999', expand: EXPAND },
        status: 200,
      }),
    ]);
    expect(standIn.intent(intentId)).toMatchObject({ status: 'succeeded', amount_received: 999, amount_capturable: 0 });
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'captured', capturedCents: 999 });
    expect(await ledgerOf(paymentId)).toEqual(
      expect.arrayContaining([
        [`capture:${paymentId}`, 'provider', 999],
        [`capture:${paymentId}`, 'mechanic', -699],
        [`capture:${paymentId}`, 'platform_revenue', -300],
      ]),
    );
    expect(await ledgerOf(paymentId)).toHaveLength(3);
  });

  it('the customer did not show: the 50% fee is captured (amount_to_capture), the rest released', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const { paymentId, intentId } = await paidWithStripe(c);
    const session = await acceptedSession(t, c, m, { paymentId });
    await post(t, `/api/sessions/${session.id}/join`, m);
    t.clock.advanceSeconds(601);
    await post(t, `/api/sessions/${session.id}/end`, m);
    await t.jobs.drain();
    const captured = standIn.intent(intentId, ['latest_charge']);
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 500, amount_capturable: 0 });
    expect(captured.latest_charge).toMatchObject({ object: 'charge', captured: true, amount_captured: 500 });
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'captured', capturedCents: 500 });
  });

  it('a session cancelled before acceptance: the hold is released under void:<paymentId>, nothing booked', async () => {
    const c = await customer(t);
    const { paymentId, intentId } = await paidWithStripe(c);
    const session = await pendingSession(t, c, { paymentId });
    const from = standIn.requests.length;
    await post(t, `/api/sessions/${session.id}/end`, c);
    await t.jobs.drain();
    expect(requestsSince(from, 'POST', /\/cancel$/)).toEqual([
      expect.objectContaining({
        path: `/v1/payment_intents/${intentId}/cancel`,
        idempotencyKey: `void:${paymentId}`,
        body: { expand: EXPAND },
        status: 200,
      }),
    ]);
    expect(requestsSince(from, 'POST', /\/capture$/)).toEqual([]);
    expect(standIn.intent(intentId)).toMatchObject({ status: 'canceled', amount_capturable: 0, amount_received: 0 });
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'voided', capturedCents: 0 });
    expect(await ledgerOf(paymentId)).toEqual([]);
  });

  it('a card declined in the browser: the sync finds no hold and the session is refused; another card on the same intent then works', async () => {
    const c = await customer(t);
    const { paymentId, intentId } = await paidWithStripe(c, 'pm_card_chargeDeclinedInsufficientFunds');
    expect(standIn.intent(intentId)).toMatchObject({
      status: 'requires_payment_method',
      payment_method: null,
      last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' },
    });
    const refused = await post(t, '/api/sessions', c, sessionBody({ paymentId }));
    expect(refused.status).toBe(402);
    expect(refused.body.code).toBe('PAYMENT_REQUIRED');
    expect((await paymentRow(paymentId)).status).toBe('requires_payment_method');

    standIn.confirm(intentId, 'pm_card_visa'); // the Payment Element lets the customer try again
    const created = await post(t, '/api/sessions', c, sessionBody({ paymentId }));
    expect(created.status).toBe(201);
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'authorized', sessionId: created.body.id });
  });
});

describe('the adapter, call by call', () => {
  it('creates the Stripe customer once per user, under customer:<userId>, and keeps it in payment_customers', async () => {
    const c = await customer(t);
    const from = standIn.requests.length;
    const first = await provider.createIntent(intentInput(c));
    const second = await provider.createIntent(intentInput(c, { amountCents: 2999 }));
    const creates = requestsSince(from, 'POST', '/v1/customers');
    expect(creates).toEqual([
      expect.objectContaining({
        idempotencyKey: `customer:${c.id}`,
        body: { email: c.email, metadata: { userId: c.id } },
        status: 200,
      }),
    ]);
    const ref = await findProviderCustomer(t.database.db, c.id, 'stripe');
    expect(ref).toMatch(/^cus_/);
    expect(standIn.customer(ref!)).toMatchObject({ object: 'customer', email: c.email, metadata: { userId: c.id } });
    expect([first.customerRef, second.customerRef]).toEqual([ref, ref]);
    expect(first).toMatchObject({ status: 'requires_payment_method', amountCents: 999, capturableCents: 0 });

    // Had our row been lost, the same key would give back the same customer (Stripe replays it).
    const forgetful = createStripeProvider({
      ...STAND_IN_KEYS,
      api: { host: standIn.host, port: standIn.port, protocol: 'http' },
      customers: { find: async () => undefined, save: async () => {} },
    });
    const customers = standIn.customerCount;
    const third = await forgetful.createIntent(intentInput(c));
    expect(third.customerRef).toBe(ref);
    expect(standIn.customerCount).toBe(customers);
    expect(requestsSince(from, 'POST', '/v1/customers').at(-1)).toMatchObject({ replayed: true, status: 200 });
  });

  it('a card error from Stripe surfaces as PaymentDeclined with Stripe’s code and decline code', async () => {
    // None of the adapter's calls confirms a card server-side, so real Stripe would not answer it a
    // 402 today (declines arrive as last_payment_error / payment_intent.payment_failed); the
    // injected answer is Stripe's card_error as an off-session confirmation would get it.
    const c = await customer(t);
    standIn.failNext(1, 'insufficient_funds');
    const declined = await provider.createIntent(intentInput(c)).catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(PaymentDeclined);
    expect(declined).toMatchObject({ code: 'card_declined', declineCode: 'insufficient_funds' });
    standIn.failNext(1, 'card_declined');
    await expect(provider.createIntent(intentInput(c))).rejects.toMatchObject({
      name: 'PaymentDeclined',
      code: 'card_declined',
      declineCode: 'generic_decline',
    });
  });

  it('a 500 surfaces as ProviderUnavailable; the retry with the same key opens one intent', async () => {
    const c = await customer(t);
    const input = intentInput(c);
    await provider.createIntent(intentInput(c)); // the customer exists: only the intent call is faulted
    standIn.failNext(1, 'status500');
    const from = standIn.requests.length;
    await expect(provider.createIntent(input)).rejects.toBeInstanceOf(ProviderUnavailable);
    const intent = await provider.createIntent(input);
    const calls = requestsSince(from, 'POST', '/v1/payment_intents');
    expect(calls.map((r) => [r.idempotencyKey, r.status, r.failure])).toEqual([
      [input.idempotencyKey, 500, 'status500'],
      [input.idempotencyKey, 200, null],
    ]);
    expect(intent.ref).toMatch(/^pi_/);
  });

  it('a timeout surfaces as ProviderUnavailable (the SDK’s timeout, not retried by it)', async () => {
    const c = await customer(t);
    const intent = await provider.createIntent(intentInput(c));
    const quick = standInProvider(standIn, t.database.db, { timeoutMs: 200 });
    standIn.failNext(1, 'timeout');
    const from = standIn.requests.length;
    const started = Date.now();
    const error = await quick.retrieve(intent.ref).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect((error as Error).message).toMatch(/timeout/i);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(requestsSince(from)).toHaveLength(1);
  });

  it('a reset connection is retried once by the SDK itself (maxNetworkRetries: 0 notwithstanding), with the same key; two are ProviderUnavailable', async () => {
    const c = await customer(t);
    await provider.createIntent(intentInput(c));
    const input = intentInput(c);
    standIn.failNext(1, 'reset');
    let from = standIn.requests.length;
    await provider.createIntent(input);
    expect(requestsSince(from, 'POST', '/v1/payment_intents').map((r) => [r.idempotencyKey, r.failure])).toEqual([
      [input.idempotencyKey, 'reset'],
      [input.idempotencyKey, null],
    ]);

    standIn.failNext(2, 'reset');
    from = standIn.requests.length;
    await expect(provider.createIntent(intentInput(c))).rejects.toBeInstanceOf(ProviderUnavailable);
    expect(requestsSince(from)).toHaveLength(2);
  });

  it('the same key again replays Stripe’s answer; with other parameters it is ProviderRefused(idempotency_error)', async () => {
    const c = await customer(t);
    const input = intentInput(c);
    const first = await provider.createIntent(input);
    const from = standIn.requests.length;
    const again = await provider.createIntent(input);
    expect(again.ref).toBe(first.ref);
    expect(requestsSince(from, 'POST', '/v1/payment_intents')).toEqual([
      expect.objectContaining({ replayed: true, status: 200 }),
    ]);

    const conflict = await provider.createIntent({ ...input, amountCents: 2999 }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ProviderRefused);
    expect(conflict).toMatchObject({ code: 'idempotency_error' });
    expect((conflict as Error).message).toMatch(
      /^Keys for idempotent requests can only be used with the same parameters they were first used with/,
    );
  });

  it('capturing a canceled intent is ProviderRefused(payment_intent_unexpected_state); more than the hold is amount_too_large', async () => {
    const c = await customer(t);
    const held = await provider.createIntent(intentInput(c));
    standIn.confirm(held.ref, 'pm_card_visa');
    const tooMuch = await provider
      .capture({ ref: held.ref, amountCents: 1000, idempotencyKey: `capture:${crypto.randomUUID()}` })
      .catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(ProviderRefused);
    expect(tooMuch).toMatchObject({ code: 'amount_too_large' });

    const voided = await provider.cancel({ ref: held.ref, idempotencyKey: `void:${crypto.randomUUID()}` });
    expect(voided).toMatchObject({ status: 'canceled', capturableCents: 0, capturedCents: 0 });
    const refused = await provider
      .capture({ ref: held.ref, amountCents: 999, idempotencyKey: `capture:${crypto.randomUUID()}` })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProviderRefused);
    expect(refused).toMatchObject({ code: 'payment_intent_unexpected_state' });
    expect((refused as Error).message).toContain('status of canceled');
    // Cancelling it again is the same refusal (the void job treats it as already released).
    await expect(
      provider.cancel({ ref: held.ref, idempotencyKey: `void:${crypto.randomUUID()}` }),
    ).rejects.toMatchObject({ name: 'ProviderRefused', code: 'payment_intent_unexpected_state' });
  });

  it('retrieve returns the card from the expanded payment_method; an unknown intent is ProviderRefused(resource_missing)', async () => {
    const c = await customer(t);
    const held = await provider.createIntent(intentInput(c));
    standIn.confirm(held.ref, 'pm_card_visa');
    expect(await provider.retrieve(held.ref)).toMatchObject({
      status: 'requires_capture',
      amountCents: 999,
      capturableCents: 999,
      card: { brand: 'visa', last4: '4242' },
      paymentMethod: expect.stringMatching(/^pm_/),
    });
    await expect(provider.retrieve('pi_3doesnotexist000000000000')).rejects.toMatchObject({
      name: 'ProviderRefused',
      code: 'resource_missing',
    });
  });
});

describe('the capture job against Stripe’s failures', () => {
  it('a 500 on capture: the job asks Stripe, then retries under a key of its own, and Stripe captures once', async () => {
    const c = await customer(t);
    const { paymentId, intentId } = await paidWithStripe(c);
    const session = await liveSession(t, c, await mechanic(t), { paymentId });
    const from = standIn.requests.length;
    standIn.failNext(1, 'status500');
    await post(t, `/api/sessions/${session.id}/end`, c);
    await t.jobs.drain();
    expect((await paymentRow(paymentId)).status).toBe('authorized'); // waiting for its retry
    t.clock.advanceSeconds(2);
    await t.jobs.drain();

    const captures = requestsSince(from, 'POST', `/v1/payment_intents/${intentId}/capture`);
    expect(captures.map((r) => [r.idempotencyKey, r.status])).toEqual([
      [`capture:${paymentId}`, 500],
      [`capture:${paymentId}:2`, 200],
    ]);
    expect(standIn.intent(intentId)).toMatchObject({ status: 'succeeded', amount_received: 999 });
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'captured', capturedCents: 999 });
    expect(new Set((await ledgerOf(paymentId)).map(([reference]) => reference))).toEqual(
      new Set([`capture:${paymentId}`]),
    );
    expect(await ledgerOf(paymentId)).toHaveLength(3);
  });

  it('captured at Stripe but the answer lost (a timeout): the retry asks, finds it captured, captures nothing twice', async () => {
    const c = await customer(t);
    const { paymentId, intentId } = await paidWithStripe(c);
    const session = await liveSession(t, c, await mechanic(t), { paymentId });
    const from = standIn.requests.length;
    standIn.failNext(1, 'timeout', { afterWork: true });
    await post(t, `/api/sessions/${session.id}/end`, c);
    await t.jobs.drain();
    expect(standIn.intent(intentId)).toMatchObject({ status: 'succeeded', amount_received: 999 }); // the money moved
    expect((await paymentRow(paymentId)).status).toBe('authorized'); // but we do not know yet
    t.clock.advanceSeconds(2);
    await t.jobs.drain();

    const captures = requestsSince(from, 'POST', `/v1/payment_intents/${intentId}/capture`);
    expect(captures.map((r) => [r.idempotencyKey, r.failure, r.replayed])).toEqual([
      [`capture:${paymentId}`, 'timeout', false],
    ]);
    // The retry read the intent instead: already succeeded, so it was booked, not captured again.
    expect(requestsSince(from, 'GET', `/v1/payment_intents/${intentId}`).length).toBeGreaterThanOrEqual(1);
    expect(standIn.intent(intentId)).toMatchObject({ amount_received: 999 });
    expect(
      standIn.events.filter((e) => e.type === 'payment_intent.succeeded' && e.data.object.id === intentId),
    ).toHaveLength(1);
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'captured', capturedCents: 999 });
    expect(await ledgerOf(paymentId)).toHaveLength(3);
  });
});

describe('Stripe’s own behaviour the adapter must survive', () => {
  // Stripe saves a 500 under the idempotency key once the endpoint has begun and replays it to
  // every retry with that key ("Retries with the same key return the saved response, including
  // 500 errors", docs.stripe.com/api/idempotent_requests). The job retries with the same
  // capture:<paymentId> for its whole schedule, and the admin's retry re-runs that same job.
  it('after a 500 Stripe saved under capture:<paymentId>, the payment is still captured in the end', async () => {
    const c = await customer(t);
    const { paymentId, intentId } = await paidWithStripe(c);
    const session = await liveSession(t, c, await mechanic(t), { paymentId });
    standIn.failNext(1, 'status500', { saved: true });
    await post(t, `/api/sessions/${session.id}/end`, c);
    for (let i = 0; i < 10; i++) {
      await t.jobs.drain();
      t.clock.advanceSeconds(3600);
    }
    expect(standIn.intent(intentId)).toMatchObject({ status: 'succeeded', amount_received: 999 });
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'captured', capturedCents: 999 });
  });
});
