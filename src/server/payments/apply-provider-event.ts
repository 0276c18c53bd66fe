import type { Ctx } from '../context.js';
import type { Executor } from '../db/client.js';
import type { PaymentRow } from '../db/schema.js';
import { markAuthorized } from './authorize-payment.js';
import {
  lockPaymentByProviderRef,
  recordProviderEvent,
  setProviderEventOutcome,
  updatePayment,
} from './payment.repository.js';
import type { ProviderEvent } from './provider.js';

/*
 * A verified provider webhook, applied once (payments.md §1.6): its id is inserted first, in the
 * same transaction as its effect, so a duplicate — or a concurrent delivery, which waits on the
 * insert and then finds it — changes nothing. Events only move a payment forward: one arriving
 * late (a failure after the authorisation it preceded) is recorded as `stale` and ignored.
 */

/** How far along a payment is; an event may only move it to a later rank. */
const RANK: Record<PaymentRow['status'], number> = {
  requires_payment_method: 0,
  failed: 1,
  authorized: 2,
  capture_failed: 3,
  voided: 4,
  captured: 4,
  partially_refunded: 5,
  refunded: 6,
};

type Outcome = 'applied' | 'stale' | 'noted' | 'ignored' | 'unknown_payment' | 'duplicate';

async function applyTo(ctx: Ctx, tx: Executor, payment: PaymentRow, event: ProviderEvent): Promise<Outcome> {
  const now = ctx.clock.now();
  switch (event.type) {
    case 'payment_intent.amount_capturable_updated': {
      if (!event.intent || RANK[payment.status] >= RANK.authorized) return 'stale';
      return (await markAuthorized(ctx, tx, payment, event.intent, ['requires_payment_method', 'failed']))
        ? 'applied'
        : 'stale';
    }
    case 'payment_intent.payment_failed': {
      if (RANK[payment.status] >= RANK.failed) return 'stale';
      const error = (
        event.raw as { data?: { object?: { last_payment_error?: { code?: string; decline_code?: string } } } }
      ).data?.object?.last_payment_error;
      const moved = await updatePayment(
        tx,
        payment.id,
        ['requires_payment_method'],
        { status: 'failed', failureCode: error?.code ?? 'card_declined', declineCode: error?.decline_code ?? null },
        now,
      );
      return moved ? 'applied' : 'stale';
    }
    case 'payment_intent.canceled': {
      // Released at the provider (expired, or by hand): only a hold no session relies on is voided here.
      if (payment.status !== 'requires_payment_method' && !(payment.status === 'authorized' && !payment.sessionId))
        return 'noted';
      const moved = await updatePayment(tx, payment.id, [payment.status], { status: 'voided', settledAt: now }, now);
      return moved ? 'applied' : 'stale';
    }
    case 'payment_intent.succeeded':
      return 'noted'; // our capture job books captures, under its own key
    default:
      return 'ignored';
  }
}

export async function applyProviderEvent(ctx: Ctx, received: ProviderEvent): Promise<Outcome> {
  const provider = ctx.payments.provider.name;
  // Stripe never expands fields inside event payloads: the card of an authorisation is only known
  // by asking for the intent (outside the transaction: no network call under a row lock).
  const event =
    received.type === 'payment_intent.amount_capturable_updated' && received.intentRef && !received.intent?.card
      ? {
          ...received,
          intent: (await ctx.payments.provider.retrieve(received.intentRef).catch(() => null)) ?? received.intent,
        }
      : received;
  return ctx.db.transaction(async (tx) => {
    const payment = event.intentRef ? await lockPaymentByProviderRef(tx, provider, event.intentRef) : undefined;
    const fresh = await recordProviderEvent(tx, {
      id: event.id,
      provider,
      type: event.type,
      paymentId: payment?.id ?? null,
      outcome: 'received',
      payload: event.raw,
    });
    if (!fresh) return 'duplicate';
    const outcome = payment ? await applyTo(ctx, tx, payment, event) : 'unknown_payment';
    await setProviderEventOutcome(tx, event.id, outcome);
    return outcome;
  });
}
