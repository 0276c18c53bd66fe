import type { Ctx } from '../context.js';
import type { Executor } from '../db/client.js';
import type { PaymentRow } from '../db/schema.js';
import { findSession } from '../sessions/session.repository.js';
import { markAuthorized } from './authorize-payment.js';
import { findPaymentIdByExtensionCharge } from './extension.repository.js';
import { ACCOUNTS, recordTransaction } from './ledger.repository.js';
import { percentOfWhole } from './money.js';
import { bookedFor, closeDispute, disputesOf, upsertDispute } from './refund.repository.js';
import {
  lockPayment,
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
 * late (a failure after the authorisation it preceded) is recorded as `stale` and ignored. An
 * event about one of an extension's off-session charges (a PaymentIntent of its own) finds its
 * payment through the extension; of those, only disputes act on it.
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

async function applyTo(
  ctx: Ctx,
  tx: Executor,
  payment: PaymentRow,
  event: ProviderEvent,
  ofExtension: boolean,
): Promise<Outcome> {
  const now = ctx.clock.now();
  const isDispute = event.type === 'charge.dispute.created' || event.type === 'charge.dispute.closed';
  // An extension's own charge succeeding (or failing) is the extension's business, settled by its
  // job under its own key; only a dispute of it concerns the payment.
  if (ofExtension && !isDispute) return 'noted';
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
    case 'charge.dispute.created':
    case 'charge.dispute.closed':
      return applyDispute(ctx, tx, payment, event);
    default:
      return 'ignored';
  }
}

type DisputeObject = { id: string; amount: number; reason?: string | null; status: string };

/**
 * A chargeback (payments.md §3): opened, the payment is flagged and the mechanic's share of it is
 * held out of payouts; closed as lost, the money has left — the ledger reverses it as a refund
 * would, the mechanic's share in proportion.
 */
async function applyDispute(ctx: Ctx, tx: Executor, payment: PaymentRow, event: ProviderEvent): Promise<Outcome> {
  const dispute = (event.raw as { data: { object: DisputeObject } }).data.object;
  const now = ctx.clock.now();
  if (event.type === 'charge.dispute.created') {
    await upsertDispute(tx, {
      paymentId: payment.id,
      providerRef: dispute.id,
      amountCents: dispute.amount,
      reason: dispute.reason ?? null,
      status: 'open',
      openedAt: now,
    });
    return 'applied';
  }
  await upsertDispute(tx, {
    paymentId: payment.id,
    providerRef: dispute.id,
    amountCents: dispute.amount,
    reason: dispute.reason ?? null,
    status: 'open',
    openedAt: now,
  });
  // Only `lost` takes the money: `won`, and an inquiry closed without a chargeback
  // (`warning_closed`), leave it where it was.
  const closed = await closeDispute(tx, dispute.id, dispute.status === 'lost' ? 'lost' : 'won', now);
  if (!closed) return 'stale';
  if (closed.status === 'lost') await bookLostDispute(tx, payment, closed.id, closed.amountCents, now);
  return 'applied';
}

async function bookLostDispute(tx: Executor, payment: PaymentRow, disputeId: string, amountCents: number, now: Date) {
  const session = await findSession(tx, payment.sessionId!);
  const account = ACCOUNTS.mechanic(session!.mechanicId!);
  const booked = await bookedFor(tx, payment.id, account);
  const credited = -((booked.get('capture') ?? 0) + (booked.get('extension') ?? 0));
  const reversedSoFar = (booked.get('refund') ?? 0) + (booked.get('dispute') ?? 0);
  const lostSoFar = (await disputesOf(tx, payment.id))
    .filter((d) => d.status === 'lost')
    .reduce((sum, d) => sum + d.amountCents, 0);
  const gone = Math.min(payment.capturedCents, payment.refundedCents + lostSoFar);
  const reversal = percentOfWhole(credited, gone, payment.capturedCents) - reversedSoFar;
  await recordTransaction(tx, {
    reference: `dispute:${disputeId}`,
    kind: 'dispute',
    paymentId: payment.id,
    sessionId: payment.sessionId,
    currency: payment.currency,
    at: now,
    entries: [
      { account: ACCOUNTS.provider, amountCents: -amountCents },
      { account, amountCents: reversal },
      { account: ACCOUNTS.platformRevenue, amountCents: amountCents - reversal },
    ],
  });
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
    let payment = event.intentRef ? await lockPaymentByProviderRef(tx, provider, event.intentRef) : undefined;
    // Not a hold of ours: perhaps one of our extensions' off-session charges.
    const ofExtension =
      !payment && event.intentRef ? await findPaymentIdByExtensionCharge(tx, event.intentRef) : undefined;
    if (ofExtension) {
      const found = await lockPayment(tx, ofExtension);
      payment = found?.provider === provider ? found : undefined;
    }
    const fresh = await recordProviderEvent(tx, {
      id: event.id,
      provider,
      type: event.type,
      paymentId: payment?.id ?? null,
      outcome: 'received',
      payload: event.raw,
    });
    if (!fresh) return 'duplicate';
    const outcome = payment ? await applyTo(ctx, tx, payment, event, Boolean(ofExtension)) : 'unknown_payment';
    await setProviderEventOutcome(tx, event.id, outcome);
    return outcome;
  });
}
