import crypto from 'node:crypto';
import { and, eq, inArray, lte, or } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jobs,
  ledgerEntries,
  ledgerTransactions,
  payments,
  payouts,
  sessionExtensions,
} from '../../src/server/db/schema.js';
import { findProviderCustomer } from '../../src/server/payments/payment.repository.js';
import {
  PaymentDeclined,
  ProviderRefused,
  ProviderUnavailable,
  type PaymentProvider,
} from '../../src/server/payments/provider.js';
import { createStripeProvider } from '../../src/server/payments/stripe-provider.js';
import { admin, customer, mechanic, sessionBody, type TestUser } from '../factories/index.js';
import { acceptedSession, liveSession, pendingSession } from '../factories/sessions.js';
import { call, get, post } from '../helpers/http.js';
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

/**
 * `jobs.drain()`, until no job is due or running: the runner's own pass (woken by the enqueue's
 * NOTIFY or its timer) may be claiming a job just as drain's pass looks — SKIP LOCKED then hides
 * it from drain, which returns while the job is still to run.
 */
async function settle() {
  for (let i = 0; i < 500; i++) {
    await t.jobs.drain();
    const busy = await t.database.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        or(eq(jobs.state, 'running'), and(inArray(jobs.state, ['queued', 'retrying']), lte(jobs.runAt, t.clock.now()))),
      );
    if (busy.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('jobs are still due or running after 5 s');
}

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
    await settle();
    await settle(); // and running the settlement again changes nothing

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
    await settle();
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
    await settle();
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
    // Creating a manual-capture intent confirms nothing, so real Stripe would not answer it a 402
    // (only chargeSaved's off-session confirmation can be declined: see below); the injected answer
    // is Stripe's card_error shape, to pin the translation itself.
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
    await settle();
    expect((await paymentRow(paymentId)).status).toBe('authorized'); // waiting for its retry
    t.clock.advanceSeconds(2);
    await settle();

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
    await settle();
    expect(standIn.intent(intentId)).toMatchObject({ status: 'succeeded', amount_received: 999 }); // the money moved
    expect((await paymentRow(paymentId)).status).toBe('authorized'); // but we do not know yet
    t.clock.advanceSeconds(2);
    await settle();

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
      await settle();
      t.clock.advanceSeconds(3600);
    }
    expect(standIn.intent(intentId)).toMatchObject({ status: 'succeeded', amount_received: 999 });
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'captured', capturedCents: 999 });
  });
});

/** A hold confirmed in the browser with `card`, its card saved on the customer (setup_future_usage). */
async function savedCard(card: TestCard = 'pm_card_visa', amountCents = 999) {
  const c = await customer(t);
  const paymentId = crypto.randomUUID();
  const held = await provider.createIntent(intentInput(c, { amountCents, paymentId }));
  standIn.confirm(held.ref, card);
  const intent = standIn.intent(held.ref);
  return { c, paymentId, ref: held.ref, customer: intent.customer as string, method: intent.payment_method as string };
}

const chargeInput = (saved: { ref: string; paymentId: string }, amountCents = 499) => ({
  paymentRef: saved.ref,
  amountCents,
  currency: 'USD',
  paymentId: saved.paymentId,
  idempotencyKey: `extension:${crypto.randomUUID()}`,
});

/** The off-session PaymentIntents Stripe created for one of our payments (its extension charges). */
const offSessionIntents = (paymentId: string) =>
  standIn.events.filter(
    (e) =>
      e.type === 'payment_intent.created' &&
      (e.data.object.metadata as Record<string, string>).paymentId === paymentId &&
      (e.data.object.metadata as Record<string, string>).kind === 'extension',
  );

describe('chargeSaved: an extension charged off-session on the card saved with the hold', () => {
  it('charges the saved card of the hold’s customer at once, under extension:<id>, leaving the hold alone', async () => {
    const saved = await savedCard();
    const input = chargeInput(saved);
    const from = standIn.requests.length;
    const charged = await provider.chargeSaved(input);

    const [create] = requestsSince(from, 'POST', '/v1/payment_intents');
    expect(create).toMatchObject({
      idempotencyKey: input.idempotencyKey,
      status: 200,
      body: {
        amount: '499',
        currency: 'usd',
        customer: saved.customer,
        payment_method: saved.method,
        off_session: 'true',
        confirm: 'true',
        // Card only: no redirect-based method could need a return_url the customer is not there for.
        automatic_payment_methods: { enabled: 'true', allow_redirects: 'never' },
        metadata: { paymentId: saved.paymentId, kind: 'extension' },
        expand: EXPAND,
      },
    });
    expect(charged).toMatchObject({
      status: 'succeeded',
      amountCents: 499,
      capturedCents: 499,
      capturableCents: 0,
      card: { brand: 'visa', last4: '4242' },
      paymentMethod: saved.method,
      customerRef: saved.customer,
    });
    expect(charged.ref).not.toBe(saved.ref);
    expect(standIn.intent(charged.ref, ['latest_charge'])).toMatchObject({
      status: 'succeeded',
      amount_received: 499,
      capture_method: 'automatic_async',
      latest_charge: { captured: true, amount_captured: 499, payment_method: saved.method },
    });
    // The hold is a PaymentIntent of its own: still all there for the plan's capture.
    expect(standIn.intent(saved.ref)).toMatchObject({ status: 'requires_capture', amount_capturable: 999 });

    // The same key again is the same charge: Stripe replays it.
    const again = await provider.chargeSaved(input);
    expect(again.ref).toBe(charged.ref);
    expect(requestsSince(from, 'POST', '/v1/payment_intents').map((r) => r.replayed)).toEqual([false, true]);
    expect(offSessionIntents(saved.paymentId)).toHaveLength(1);
  });

  it('a card that needs authentication off-session: PaymentDeclined(authentication_required); the retry replays the decline', async () => {
    // Stripe's "Always authenticate" card: the Payment Element authenticated the hold, but every
    // off-session charge fails with a 402 and the PaymentIntent waits in requires_payment_method.
    const saved = await savedCard('pm_card_authenticationRequired');
    expect(standIn.intent(saved.ref)).toMatchObject({ status: 'requires_capture' });
    const input = chargeInput(saved);
    const from = standIn.requests.length;
    const declined = await provider.chargeSaved(input).catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(PaymentDeclined);
    expect(declined).toMatchObject({ code: 'authentication_required', declineCode: 'authentication_required' });
    expect((declined as Error).message).toMatch(/requires authentication/);

    const [created] = offSessionIntents(saved.paymentId);
    expect(standIn.intent(created!.data.object.id as string)).toMatchObject({
      status: 'requires_payment_method',
      payment_method: null,
      last_payment_error: { type: 'card_error', code: 'authentication_required', payment_method: { id: saved.method } },
    });
    // Stripe saved the 402 under the key: the retry gets it again, and no second charge is tried.
    await expect(provider.chargeSaved(input)).rejects.toMatchObject({
      name: 'PaymentDeclined',
      code: 'authentication_required',
    });
    expect(requestsSince(from, 'POST', '/v1/payment_intents').map((r) => [r.status, r.replayed])).toEqual([
      [402, false],
      [402, true],
    ]);
    expect(offSessionIntents(saved.paymentId)).toHaveLength(1);
  });

  it('a saved card the bank now refuses: PaymentDeclined(card_declined) with Stripe’s decline code', async () => {
    const saved = await savedCard();
    standIn.issuerDeclines(saved.method, 'insufficient_funds');
    await expect(provider.chargeSaved(chargeInput(saved))).rejects.toMatchObject({
      name: 'PaymentDeclined',
      code: 'card_declined',
      declineCode: 'insufficient_funds',
    });
  });

  it('what the adapter must send: Stripe refuses a server-side confirmation that allows redirects and has no return_url', async () => {
    const saved = await savedCard();
    const raw = new Stripe(STAND_IN_KEYS.secretKey, {
      host: standIn.host,
      port: standIn.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    const charge = { amount: 499, currency: 'usd', customer: saved.customer, payment_method: saved.method };
    // Automatic payment methods are on by default, redirects allowed: "A `return_url` must be specified".
    const refused = await raw.paymentIntents
      .create({ ...charge, off_session: true, confirm: true })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((refused as Error).message).toMatch(/^A `return_url` must be specified/);
    const cardOnly = await raw.paymentIntents.create({
      ...charge,
      off_session: true,
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    expect(cardOnly.status).toBe('succeeded');
  });

  it('a hold without a saved card is ProviderRefused(payment_method_missing), nothing charged', async () => {
    const c = await customer(t);
    const held = await provider.createIntent(intentInput(c)); // never confirmed: no card
    const from = standIn.requests.length;
    await expect(
      provider.chargeSaved(chargeInput({ ref: held.ref, paymentId: crypto.randomUUID() })),
    ).rejects.toMatchObject({ name: 'ProviderRefused', code: 'payment_method_missing' });
    expect(requestsSince(from, 'POST')).toEqual([]);
  });
});

describe('refund: part or all of what an intent captured, never more', () => {
  /** A hold of `amountCents`, captured (all of it unless `capture` says). */
  async function captured(amountCents = 999, capture = amountCents) {
    const saved = await savedCard('pm_card_visa', amountCents);
    await provider.capture({ ref: saved.ref, amountCents: capture, idempotencyKey: `capture:${saved.paymentId}` });
    return saved;
  }
  const refundKey = () => `refund:${crypto.randomUUID()}`;
  const chargeOf = (ref: string) => standIn.intent(ref, ['latest_charge']).latest_charge as Record<string, unknown>;

  it('partial, then the rest: two refunds on the charge; a third is charge_already_refunded', async () => {
    const { ref } = await captured();
    const from = standIn.requests.length;
    const first = await provider.refund({ ref, amountCents: 300, idempotencyKey: refundKey() });
    expect(first).toEqual({ ref: expect.stringMatching(/^re_/), amountCents: 300 });
    expect(requestsSince(from, 'POST', '/v1/refunds')).toEqual([
      expect.objectContaining({ body: { payment_intent: ref, amount: '300' }, status: 200 }),
    ]);
    expect(standIn.refund(first.ref)).toMatchObject({
      object: 'refund',
      amount: 300,
      payment_intent: ref,
      charge: chargeOf(ref).id,
      currency: 'usd',
      status: 'succeeded',
    });
    expect(chargeOf(ref)).toMatchObject({ amount_captured: 999, amount_refunded: 300, refunded: false });

    const rest = await provider.refund({ ref, amountCents: 699, idempotencyKey: refundKey() });
    expect(rest.amountCents).toBe(699);
    expect(chargeOf(ref)).toMatchObject({ amount_refunded: 999, refunded: true });
    // The intent as the adapter reads it: everything captured, everything refunded.
    expect(await provider.retrieve(ref)).toMatchObject({ capturedCents: 999, refundedCents: 999 });

    const third = await provider.refund({ ref, amountCents: 1, idempotencyKey: refundKey() }).catch((e: unknown) => e);
    expect(third).toBeInstanceOf(ProviderRefused);
    expect(third).toMatchObject({ code: 'charge_already_refunded' });
  });

  it('more than is left is ProviderRefused(amount_too_large), and nothing is refunded', async () => {
    const { ref } = await captured();
    await provider.refund({ ref, amountCents: 500, idempotencyKey: refundKey() });
    const tooMuch = await provider
      .refund({ ref, amountCents: 500, idempotencyKey: refundKey() })
      .catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(ProviderRefused);
    expect(tooMuch).toMatchObject({ code: 'amount_too_large' });
    expect((tooMuch as Error).message).toBe(
      'Refund amount ($5.00) is greater than unrefunded amount on charge ($4.99)',
    );
    expect(chargeOf(ref)).toMatchObject({ amount_refunded: 500 });
  });

  it('after a partial capture only what was captured can come back (the released rest never left the card)', async () => {
    const { ref } = await captured(999, 500); // a no-show fee
    await expect(provider.refund({ ref, amountCents: 501, idempotencyKey: refundKey() })).rejects.toMatchObject({
      name: 'ProviderRefused',
      code: 'amount_too_large',
    });
    expect((await provider.refund({ ref, amountCents: 500, idempotencyKey: refundKey() })).amountCents).toBe(500);
    expect(chargeOf(ref)).toMatchObject({ amount_captured: 500, amount_refunded: 999, refunded: true });
  });

  it('a hold never captured has nothing to refund: ProviderRefused', async () => {
    const { ref } = await savedCard();
    await expect(provider.refund({ ref, amountCents: 100, idempotencyKey: refundKey() })).rejects.toMatchObject({
      name: 'ProviderRefused',
      code: 'invalid_request_error', // no code of its own: Stripe's error type, not the SDK's class name
      message: expect.stringMatching(/does not have a successful charge to refund/),
    });
  });

  it('refunded at Stripe but the answer lost (a timeout): the retry under the same key is the same refund, not two', async () => {
    const { ref } = await captured();
    const quick = standInProvider(standIn, t.database.db, { timeoutMs: 300 });
    const input = { ref, amountCents: 400, idempotencyKey: refundKey() };
    standIn.failNext(1, 'timeout', { afterWork: true });
    const from = standIn.requests.length;
    await expect(quick.refund(input)).rejects.toBeInstanceOf(ProviderUnavailable);
    expect(chargeOf(ref)).toMatchObject({ amount_refunded: 400 }); // the money moved

    const retried = await quick.refund(input);
    expect(requestsSince(from, 'POST', '/v1/refunds').map((r) => [r.idempotencyKey, r.failure, r.replayed])).toEqual([
      [input.idempotencyKey, 'timeout', false],
      [input.idempotencyKey, null, true],
    ]);
    expect(standIn.refund(retried.ref)).toMatchObject({ amount: 400 });
    expect(chargeOf(ref)).toMatchObject({ amount_refunded: 400 });
    const refundEvents = standIn.events.filter(
      (e) => e.type === 'refund.created' && e.data.object.payment_intent === ref,
    );
    expect(refundEvents).toHaveLength(1);

    // The same key for another amount is not a retry: Stripe refuses it.
    await expect(quick.refund({ ...input, amountCents: 1 })).rejects.toMatchObject({
      name: 'ProviderRefused',
      code: 'idempotency_error',
    });
  });
});

describe('transfer: a mechanic’s payout to their connected account', () => {
  it('transfers to the connected account under payout:<id>; the same key again is the same transfer', async () => {
    const account = standIn.connectAccount();
    const input = {
      destination: account,
      amountCents: 6990,
      currency: 'USD',
      idempotencyKey: `payout:${crypto.randomUUID()}`,
    };
    const from = standIn.requests.length;
    const paid = await provider.transfer(input);
    expect(paid.ref).toMatch(/^tr_/);
    expect(requestsSince(from, 'POST', '/v1/transfers')).toEqual([
      expect.objectContaining({
        idempotencyKey: input.idempotencyKey,
        body: { amount: '6990', currency: 'usd', destination: account },
        status: 200,
      }),
    ]);
    expect(standIn.transfer(paid.ref)).toMatchObject({
      object: 'transfer',
      amount: 6990,
      amount_reversed: 0,
      currency: 'usd',
      destination: account,
      reversed: false,
      reversals: { object: 'list', data: [] },
    });
    expect((await provider.transfer(input)).ref).toBe(paid.ref);
    expect(requestsSince(from, 'POST', '/v1/transfers').at(-1)).toMatchObject({ replayed: true });
  });

  it('an account Stripe does not know is ProviderRefused; no account at all is no_destination, and nothing is sent', async () => {
    const unknown = await provider
      .transfer({
        destination: 'acct_1Nope000000000',
        amountCents: 100,
        currency: 'USD',
        idempotencyKey: `payout:${crypto.randomUUID()}`,
      })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ProviderRefused);
    expect(unknown).toMatchObject({ code: 'resource_missing', message: "No such destination: 'acct_1Nope000000000'" });

    const from = standIn.requests.length;
    const nowhere = await provider
      .transfer({
        destination: null,
        amountCents: 100,
        currency: 'USD',
        idempotencyKey: `payout:${crypto.randomUUID()}`,
      })
      .catch((e: unknown) => e);
    expect(nowhere).toBeInstanceOf(ProviderRefused);
    expect(nowhere).toMatchObject({ code: 'no_destination' });
    expect(requestsSince(from)).toEqual([]);
    expect(provider.needsPayoutAccount).toBe(true);
  });
});

describe('through the routes and jobs: extensions, refunds across charges, payouts', () => {
  const extensionsOf = (sessionId: string) =>
    t.database.db.select().from(sessionExtensions).where(eq(sessionExtensions.sessionId, sessionId));

  async function liveWithStripe(card: TestCard = 'pm_card_visa') {
    const c = await customer(t);
    const m = await mechanic(t);
    const { paymentId, intentId } = await paidWithStripe(c, card);
    const session = await liveSession(t, c, m, { paymentId });
    return { c, m, paymentId, intentId, session };
  }

  it('an extension is charged off-session on the saved card and applied; at the end the plan is captured', async () => {
    const { c, paymentId, intentId, session } = await liveWithStripe();
    const from = standIn.requests.length;
    const reply = await post(t, `/api/sessions/${session.id}/extensions`, c, { blocks: 1 });
    expect(reply.status).toBe(201);
    expect(reply.body.extension).toMatchObject({ minutes: 10, amountCents: 499, status: 'succeeded' });
    const [extension] = await extensionsOf(session.id);
    const [charge] = requestsSince(from, 'POST', '/v1/payment_intents');
    expect(charge).toMatchObject({
      idempotencyKey: `extension:${extension!.id}`,
      status: 200,
      body: { amount: '499', off_session: 'true', confirm: 'true', metadata: { paymentId, kind: 'extension' } },
    });
    expect(extension!.providerRef).toMatch(/^pi_/);
    expect(extension!.providerRef).not.toBe(intentId);
    expect(standIn.intent(extension!.providerRef!)).toMatchObject({ status: 'succeeded', amount_received: 499 });

    await post(t, `/api/sessions/${session.id}/end`, c);
    await settle();
    expect(standIn.intent(intentId)).toMatchObject({ status: 'succeeded', amount_received: 999 });
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'captured', capturedCents: 999 + 499 });
  });

  it('declined off-session: 402 PAYMENT_DECLINED with Stripe’s decline code, the session unchanged', async () => {
    const { c, session } = await liveWithStripe('pm_card_authenticationRequired');
    const before = (await get(t, `/api/sessions/${session.id}`, c)).body;
    const reply = await post(t, `/api/sessions/${session.id}/extensions`, c, { blocks: 1 });
    expect(reply.status).toBe(402);
    expect(reply.body).toMatchObject({ code: 'PAYMENT_DECLINED', declineCode: 'authentication_required' });
    expect((await get(t, `/api/sessions/${session.id}`, c)).body).toMatchObject({
      version: before.version,
      extendedMinutes: 0,
    });
    expect((await extensionsOf(session.id)).map((x) => [x.status, x.failureCode])).toEqual([
      ['failed', 'authentication_required'],
    ]);
  });

  it('the session ended before the extension’s charge went through: the job charges it, then refunds it under refund:extension:<id>', async () => {
    const { c, session } = await liveWithStripe();
    standIn.failNext(1, 'status500'); // the inline attempt cannot reach Stripe: the job takes over
    expect((await post(t, `/api/sessions/${session.id}/extensions`, c, { blocks: 1 })).status).toBe(503);
    await post(t, `/api/sessions/${session.id}/end`, c);
    await settle();
    const from = standIn.requests.length;
    t.clock.advanceSeconds(31);
    await settle();

    const [extension] = await extensionsOf(session.id);
    expect(extension).toMatchObject({ status: 'refunded', providerRef: expect.stringMatching(/^pi_/) });
    expect(requestsSince(from, 'POST', '/v1/refunds')).toEqual([
      expect.objectContaining({
        idempotencyKey: `refund:extension:${extension!.id}`,
        body: { payment_intent: extension!.providerRef, amount: '499' },
        status: 200,
      }),
    ]);
    expect(standIn.intent(extension!.providerRef!, ['latest_charge']).latest_charge).toMatchObject({
      amount_captured: 499,
      amount_refunded: 499,
      refunded: true,
    });
  });

  it('an admin’s full refund spans the plan’s charge and the extension’s: refund:<id> and refund:<id>:1', async () => {
    const { c, paymentId, intentId, session } = await liveWithStripe();
    expect((await post(t, `/api/sessions/${session.id}/extensions`, c, { blocks: 1 })).status).toBe(201);
    const [extension] = await extensionsOf(session.id);
    await post(t, `/api/sessions/${session.id}/end`, c);
    await settle();
    const a = await admin(t);
    const from = standIn.requests.length;
    const reply = await call(t, 'POST', `/api/admin/payments/${paymentId}/refunds`, {
      as: a,
      body: { reason: 'The mechanic could not help after all' },
      headers: { 'idempotency-key': crypto.randomUUID() },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ amountCents: 1498, status: 'succeeded' });
    expect(requestsSince(from, 'POST', '/v1/refunds').map((r) => [r.idempotencyKey, r.body, r.status])).toEqual([
      [`refund:${reply.body.id}`, { payment_intent: intentId, amount: '999' }, 200],
      [`refund:${reply.body.id}:1`, { payment_intent: extension!.providerRef, amount: '499' }, 200],
    ]);
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'refunded', refundedCents: 1498 });
    // The mechanic gives back exactly what they were credited.
    const mechanicNet = (await ledgerOf(paymentId))
      .filter(([, account]) => account === 'mechanic')
      .reduce((sum, [, , amount]) => sum + Number(amount), 0);
    expect(mechanicNet).toBe(0);
  });

  // Last in the file: it moves the clock a week.
  it('the weekly payout is a Connect transfer under payout:<id> to the mechanic’s account', async () => {
    const { c, m, session } = await liveWithStripe();
    await post(t, `/api/sessions/${session.id}/end`, c);
    await settle();
    const a = await admin(t);
    const account = standIn.connectAccount();
    const connected = await post(t, `/api/admin/mechanics/${m.id}/payout-account`, a, {
      accountId: account,
      reason: 'onboarded to Stripe Connect',
    });
    expect(connected.body).toEqual({ userId: m.id, connected: true });
    t.clock.advance(7 * 86_400_000);
    const from = standIn.requests.length;
    expect((await post(t, '/api/admin/payouts/run', a)).status).toBe(200);
    await settle();

    const [payout] = await t.database.db.select().from(payouts).where(eq(payouts.mechanicId, m.id));
    expect(payout).toMatchObject({ status: 'paid', amountCents: 699, providerRef: expect.stringMatching(/^tr_/) });
    expect(requestsSince(from, 'POST', '/v1/transfers')).toEqual([
      expect.objectContaining({
        idempotencyKey: `payout:${payout!.id}`,
        body: { amount: '699', currency: 'usd', destination: account },
        status: 200,
      }),
    ]);
    expect(standIn.transfer(payout!.providerRef!)).toMatchObject({ amount: 699, destination: account });
  });
});
