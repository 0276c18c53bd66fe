import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payments, providerEvents } from '../../src/server/db/schema.js';
import { customer, mechanic, sessionBody, type TestUser } from '../factories/index.js';
import { acceptedSession } from '../factories/sessions.js';
import { call, post } from '../helpers/http.js';
import {
  intentOfClientSecret,
  STAND_IN_KEYS,
  standInProvider,
  startStripeStandIn,
  type StripeEvent,
  type StripeStandIn,
} from '../helpers/stripe-stand-in.js';
import { createTestApp, openTestDatabase, type TestApp } from '../helpers/test-app.js';

/*
 * Stripe's webhooks through POST /api/payments/webhooks/stripe: signed with the SDK's
 * generateTestHeaderString over the exact bytes sent, verified by the adapter against the raw body,
 * applied once and forward only (apply-provider-event.ts). The events are the ones the stand-in
 * records for what happened to its intents (unexpanded, as Stripe sends them) or built around
 * an intent it returns.
 */

let standIn: StripeStandIn;
let t: TestApp;

beforeAll(async () => {
  standIn = await startStripeStandIn();
  const database = await openTestDatabase();
  t = await createTestApp({
    database,
    paymentProvider: standInProvider(standIn, database.database.db, { webhookSecret: 'whsec_test_standin' }),
  });
});
afterAll(async () => {
  await t?.close();
  await standIn?.close();
});

const paymentRow = async (id: string) => (await t.database.db.select().from(payments).where(eq(payments.id, id)))[0]!;
const eventRows = (id: string) => t.database.db.select().from(providerEvents).where(eq(providerEvents.id, id));

/** Delivers an event as Stripe does: JSON bytes, signed over exactly those bytes. */
function deliver(
  event: StripeEvent,
  options: { secret?: string; body?: string; signature?: string | null; timestamp?: number } = {},
) {
  const payload = JSON.stringify(event, null, 2);
  const signature =
    options.signature === undefined
      ? standIn.sign(payload, options.secret ?? STAND_IN_KEYS.webhookSecret, { timestamp: options.timestamp })
      : options.signature;
  return call(t, 'POST', '/api/payments/webhooks/stripe', {
    rawBody: options.body ?? payload,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      ...(signature === null ? {} : { 'stripe-signature': signature }),
    },
  });
}

async function checkout(c: TestUser, plan = 'quick') {
  const reply = await post(t, '/api/payments/checkout', c, { plan });
  expect(reply.status).toBe(201);
  return { paymentId: reply.body.id as string, intentId: intentOfClientSecret(reply.body.clientSecret as string) };
}

/** The last event the stand-in recorded for an intent, of a type (what Stripe would send next). */
const lastEvent = (intentId: string, type: string) => {
  const found = standIn.events.filter((e) => e.type === type && e.data.object.id === intentId).at(-1);
  if (!found) throw new Error(`no ${type} for ${intentId}`);
  return found;
};

/** A payment whose card the browser confirmed, and the authorisation event with its payment_method expanded. */
async function confirmedPayment() {
  const c = await customer(t);
  const { paymentId, intentId } = await checkout(c);
  standIn.confirm(intentId, 'pm_card_visa');
  const event = standIn.event('payment_intent.amount_capturable_updated', standIn.intent(intentId, ['payment_method']));
  return { c, paymentId, intentId, event };
}

describe('a signed event is applied once', () => {
  it('amount_capturable_updated authorises the payment, with the card of the expanded payment_method', async () => {
    const { paymentId, event } = await confirmedPayment();
    const reply = await deliver(event);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ received: true, outcome: 'applied' });
    expect(await paymentRow(paymentId)).toMatchObject({
      status: 'authorized',
      cardBrand: 'visa',
      cardLast4: '4242',
      authorizedAt: expect.any(Date),
      clientSecret: null,
    });
    expect(await eventRows(event.id)).toEqual([
      expect.objectContaining({ provider: 'stripe', type: event.type, paymentId, outcome: 'applied' }),
    ]);
  });

  it('the event exactly as Stripe sends it (payment_method not expanded) authorises the payment too', async () => {
    const c = await customer(t);
    const { paymentId, intentId } = await checkout(c);
    standIn.confirm(intentId, 'pm_card_visa');
    const event = lastEvent(intentId, 'payment_intent.amount_capturable_updated');
    expect(typeof event.data.object.payment_method).toBe('string');
    expect((await deliver(event)).body.outcome).toBe('applied');
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'authorized', authorizedAt: expect.any(Date) });
  });

  // Reported: Stripe never expands fields in event payloads, so verifyWebhook's toIntent finds no
  // card object and markAuthorized writes card_brand/card_last4 = null. When the webhook arrives
  // before POST /api/sessions (the usual order), syncPayment skips the payment (no longer
  // requires_payment_method) and the card is never learnt. This test turns green once fixed.
  it('the event as Stripe sends it gives the payment its card', async () => {
    const c = await customer(t);
    const { paymentId, intentId } = await checkout(c);
    standIn.confirm(intentId, 'pm_card_visa');
    await deliver(lastEvent(intentId, 'payment_intent.amount_capturable_updated'));
    const session = await post(t, '/api/sessions', c, sessionBody({ paymentId })); // no sync: already authorised
    expect(session.status).toBe(201);
    expect(await paymentRow(paymentId)).toMatchObject({ cardBrand: 'visa', cardLast4: '4242' });
  });

  it('the same event twice: the second is a duplicate, the payment unchanged, one provider_events row', async () => {
    const { paymentId, event } = await confirmedPayment();
    expect((await deliver(event)).body.outcome).toBe('applied');
    const before = await paymentRow(paymentId);
    const again = await deliver(event);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ received: true, outcome: 'duplicate' });
    expect(await paymentRow(paymentId)).toEqual(before);
    expect(await eventRows(event.id)).toHaveLength(1);
  });

  it('10 concurrent deliveries of one event: exactly one is applied', async () => {
    const { paymentId, event } = await confirmedPayment();
    const replies = await Promise.all(Array.from({ length: 10 }, () => deliver(event)));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    const outcomes = replies.map((r) => r.body.outcome as string);
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'applied')).toEqual(Array(9).fill('duplicate'));
    expect(await eventRows(event.id)).toEqual([expect.objectContaining({ outcome: 'applied' })]);
    expect((await paymentRow(paymentId)).status).toBe('authorized');
  });
});

describe('an unverified delivery changes nothing', () => {
  const tamper = (event: StripeEvent) =>
    JSON.stringify({ ...event, data: { object: { ...event.data.object, amount: 1 } } }, null, 2);
  it.each([
    ['signed with another secret (forged)', (_e: StripeEvent) => ({ secret: 'whsec_not_ours' })],
    ['a body changed after signing (tampered)', (e: StripeEvent) => ({ body: tamper(e) })],
    ['no Stripe-Signature header', (_e: StripeEvent) => ({ signature: null })],
    ['a garbage header', (_e: StripeEvent) => ({ signature: 'not-a-signature' })],
    [
      'a signature older than the 5-minute tolerance (replayed)',
      (_e: StripeEvent) => ({ timestamp: Math.floor(Date.now() / 1000) - 600 }),
    ],
  ])('%s → 400, nothing changed, no provider_events row', async (_name, variant) => {
    const { paymentId, event } = await confirmedPayment();
    const options = variant(event);
    const reply = await deliver(event, options);
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VALIDATION_FAILED');
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'requires_payment_method', cardBrand: null });
    expect(await eventRows(event.id)).toEqual([]);
  });
});

describe('events only move a payment forward', () => {
  it('a failure arriving after the authorisation it preceded is stale: the payment stays authorised', async () => {
    const c = await customer(t);
    const { paymentId, intentId } = await checkout(c);
    standIn.confirm(intentId, 'pm_card_chargeDeclined'); // the first card is declined…
    standIn.confirm(intentId, 'pm_card_visa'); // …the second authorises
    const failed = lastEvent(intentId, 'payment_intent.payment_failed');
    const authorised = lastEvent(intentId, 'payment_intent.amount_capturable_updated');
    expect(failed.data.object.last_payment_error).toMatchObject({
      code: 'card_declined',
      decline_code: 'generic_decline',
    });

    expect((await deliver(authorised)).body.outcome).toBe('applied');
    expect((await deliver(failed)).body.outcome).toBe('stale');
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'authorized', failureCode: null, declineCode: null });
    expect((await eventRows(failed.id))[0]).toMatchObject({ outcome: 'stale', paymentId });
  });

  it('in order, the same two: failed with Stripe’s decline code, then authorised', async () => {
    const c = await customer(t);
    const { paymentId, intentId } = await checkout(c);
    standIn.confirm(intentId, 'pm_card_chargeDeclinedInsufficientFunds');
    expect((await deliver(lastEvent(intentId, 'payment_intent.payment_failed'))).body.outcome).toBe('applied');
    expect(await paymentRow(paymentId)).toMatchObject({
      status: 'failed',
      failureCode: 'card_declined',
      declineCode: 'insufficient_funds',
    });
    standIn.confirm(intentId, 'pm_card_visa');
    expect((await deliver(lastEvent(intentId, 'payment_intent.amount_capturable_updated'))).body.outcome).toBe(
      'applied',
    );
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'authorized', declineCode: null });
  });

  // Reported: with Stripe the same PaymentIntent takes another card after a decline, but
  // syncPayment only syncs payments still `requires_payment_method`: once the payment_failed
  // webhook has made the payment `failed`, a second card confirmed in the browser is refused at
  // POST /api/sessions until the amount_capturable_updated webhook arrives.
  it('a second card after a payment_failed webhook is synced when the session is requested', async () => {
    const c = await customer(t);
    const { paymentId, intentId } = await checkout(c);
    standIn.confirm(intentId, 'pm_card_chargeDeclined');
    await deliver(lastEvent(intentId, 'payment_intent.payment_failed'));
    standIn.confirm(intentId, 'pm_card_visa'); // its webhook not delivered yet
    const created = await post(t, '/api/sessions', c, sessionBody({ paymentId }));
    expect(created.status).toBe(201);
  });

  it('an event for an intent we do not know is recorded as unknown_payment (200, so Stripe stops retrying)', async () => {
    const stranger = standIn.event('payment_intent.amount_capturable_updated', {
      ...standIn.intent((await checkout(await customer(t))).intentId),
      id: `pi_3${crypto.randomBytes(12).toString('hex')}`,
    });
    const reply = await deliver(stranger);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ received: true, outcome: 'unknown_payment' });
    expect(await eventRows(stranger.id)).toEqual([
      expect.objectContaining({ outcome: 'unknown_payment', paymentId: null }),
    ]);
  });

  it('canceled by Stripe (an expired hold): an unattached authorised payment is voided, one a session holds is only noted', async () => {
    const { paymentId, intentId, event } = await confirmedPayment();
    await deliver(event);
    standIn.expire(intentId);
    expect((await deliver(lastEvent(intentId, 'payment_intent.canceled'))).body.outcome).toBe('applied');
    expect((await paymentRow(paymentId)).status).toBe('voided');

    const held = await confirmedPayment();
    await deliver(held.event);
    await acceptedSession(t, held.c, await mechanic(t), { paymentId: held.paymentId });
    standIn.expire(held.intentId);
    expect((await deliver(lastEvent(held.intentId, 'payment_intent.canceled'))).body.outcome).toBe('noted');
    expect((await paymentRow(held.paymentId)).status).toBe('authorized');
  });
});

describe('without Stripe', () => {
  it('the local provider’s app answers 404 on the webhook route', async () => {
    const local = await createTestApp();
    try {
      const payload = JSON.stringify(
        standIn.event('payment_intent.succeeded', { id: 'pi_x', object: 'payment_intent' }),
      );
      const reply = await call(local, 'POST', '/api/payments/webhooks/stripe', {
        rawBody: payload,
        headers: { 'content-type': 'application/json', 'stripe-signature': standIn.sign(payload) },
      });
      expect(reply.status).toBe(404);
    } finally {
      await local.close();
    }
  });
});
