import crypto from 'node:crypto';
import type { Clock } from '../context.js';
import type { Db, Executor } from '../db/client.js';
import type { LocalIntentRow } from '../db/schema.js';
import { uniqueViolation } from '../errors.js';
import {
  findIdempotencyKey,
  findLocalIntent,
  insertLocalIntent,
  storeIdempotencyKey,
  updateLocalIntent,
} from './local-provider.repository.js';
import {
  PaymentDeclined,
  ProviderRefused,
  TEST_CARDS,
  type CardDetails,
  type PaymentProvider,
  type ProviderIntent,
} from './provider.js';

/*
 * The embedded payment provider (payments.md §2): real code with Stripe's test-mode semantics,
 * not a mock — holds, captures up to the hold, voids, test cards, declines with Stripe's codes, and
 * idempotency keys honoured (the same key and request answer the stored response; the same key
 * with another request is refused). Its books live in our database, so a restart loses nothing.
 * `npm start` needs no keys.
 */

type Answer = { intent: ProviderIntent } | { declined: { code: string; declineCode: string | null; message: string } };

function toIntent(row: LocalIntentRow): ProviderIntent {
  return {
    ref: row.id,
    status: row.status as ProviderIntent['status'],
    amountCents: row.amountCents,
    capturableCents: row.amountCapturable,
    capturedCents: row.amountReceived,
    refundedCents: row.amountRefunded,
    card: row.cardBrand && row.cardLast4 ? { brand: row.cardBrand, last4: row.cardLast4 } : null,
    clientSecret: null,
    paymentMethod: row.paymentMethod,
    customerRef: null,
  };
}

const hashOf = (value: unknown) => crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex');
const randomId = (prefix: string) => `${prefix}_local_${crypto.randomBytes(12).toString('hex')}`;

/** Luhn's check: a mistyped card number fails it. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Stripe's answer to a card, as its test mode gives it. */
function judgeCard(
  card: CardDetails,
  now: Date,
): { brand: string; last4: string; declinesLater: boolean } | PaymentDeclined {
  const number = card.number.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number) || !passesLuhn(number)) {
    return new PaymentDeclined('incorrect_number', null, 'Your card number is incorrect.');
  }
  const endOfExpiryMonth = Date.UTC(card.expYear, card.expMonth, 1);
  if (card.expMonth < 1 || card.expMonth > 12 || endOfExpiryMonth <= now.getTime()) {
    return new PaymentDeclined('expired_card', null, 'Your card has expired.');
  }
  if (!/^\d{3,4}$/.test(card.cvc))
    return new PaymentDeclined('incorrect_cvc', null, 'Your card’s security code is incorrect.');
  const test = TEST_CARDS[number as keyof typeof TEST_CARDS];
  if (!test) {
    return new PaymentDeclined(
      'card_declined',
      'test_mode_live_card',
      'Your card was declined: only test cards work here.',
    );
  }
  if (test.outcome === 'card_declined')
    return new PaymentDeclined('card_declined', 'generic_decline', 'Your card was declined.');
  if (test.outcome === 'insufficient_funds') {
    return new PaymentDeclined('card_declined', 'insufficient_funds', 'Your card has insufficient funds.');
  }
  return { brand: test.brand, last4: number.slice(-4), declinesLater: test.outcome === 'authorize_then_decline' };
}

export function createLocalProvider(db: Db, clock: Clock): PaymentProvider {
  /**
   * Runs `work` once per idempotency key: the key is stored with the answer in the same
   * transaction, so a retry (or a concurrent duplicate, which loses the insert) replays it.
   */
  async function once(operation: string, key: string, request: unknown, work: (tx: Executor) => Promise<Answer>) {
    const requestHash = hashOf({ operation, request });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const answer = await db.transaction(async (tx) => {
          const stored = await findIdempotencyKey(tx, key);
          if (stored) {
            if (stored.requestHash !== requestHash) {
              throw new ProviderRefused(
                'idempotency_error',
                `Keys for idempotent requests can only be used with the same parameters they were first used with (${key})`,
              );
            }
            return stored.response as Answer;
          }
          const fresh = await work(tx);
          await storeIdempotencyKey(tx, key, { operation, requestHash, response: fresh });
          return fresh;
        });
        if ('declined' in answer)
          throw new PaymentDeclined(answer.declined.code, answer.declined.declineCode, answer.declined.message);
        return answer.intent;
      } catch (error) {
        if (uniqueViolation(error) === 'local_idempotency_keys_pkey') continue; // a concurrent twin won: replay it
        throw error;
      }
    }
    throw new ProviderRefused('idempotency_error', 'A concurrent request with this key is still in progress');
  }

  const intentFor = async (tx: Executor, ref: string) => {
    const row = await findLocalIntent(tx, ref, true);
    if (!row) throw new ProviderRefused('resource_missing', `No such payment_intent: '${ref}'`);
    return row;
  };
  const unexpected = (row: LocalIntentRow, action: string) =>
    new ProviderRefused(
      'payment_intent_unexpected_state',
      `You cannot ${action} this PaymentIntent because it has a status of ${row.status}.`,
    );

  return {
    name: 'local',
    createIntent: (input) =>
      once(
        'create',
        input.idempotencyKey,
        { amount: input.amountCents, currency: input.currency, paymentId: input.paymentId },
        async (tx) => {
          const row = await insertLocalIntent(tx, {
            id: randomId('pi'),
            amountCents: input.amountCents,
            currency: input.currency,
            status: 'requires_payment_method',
            metadata: { paymentId: input.paymentId, customerId: input.customerId },
          });
          return { intent: toIntent(row) };
        },
      ),
    confirmCard: ({ ref, card, idempotencyKey }) =>
      once('confirm', idempotencyKey, { ref, card: hashOf(card) }, async (tx) => {
        const row = await intentFor(tx, ref);
        if (row.status !== 'requires_payment_method') throw unexpected(row, 'confirm');
        const verdict = judgeCard(card, clock.now());
        if (verdict instanceof PaymentDeclined) {
          return { declined: { code: verdict.code, declineCode: verdict.declineCode, message: verdict.message } };
        }
        const updated = await updateLocalIntent(
          tx,
          ref,
          {
            status: 'requires_capture',
            amountCapturable: row.amountCents,
            cardBrand: verdict.brand,
            cardLast4: verdict.last4,
            paymentMethod: randomId('pm'),
            // The provider remembers what it knows of the card: this one refuses later charges.
            metadata: { ...row.metadata, ...(verdict.declinesLater ? { offSessionDecline: 'card_declined' } : {}) },
          },
          clock.now(),
        );
        return { intent: toIntent(updated) };
      }),
    retrieve: async (ref) => toIntent(await intentFor(db, ref)),
    capture: ({ ref, amountCents, idempotencyKey }) =>
      once('capture', idempotencyKey, { ref, amountCents }, async (tx) => {
        const row = await intentFor(tx, ref);
        if (row.status !== 'requires_capture') throw unexpected(row, 'capture');
        if (amountCents <= 0 || amountCents > row.amountCapturable) {
          throw new ProviderRefused(
            'amount_too_large',
            `The amount to capture must be between 1 and ${row.amountCapturable}`,
          );
        }
        const updated = await updateLocalIntent(
          tx,
          ref,
          { status: 'succeeded', amountReceived: amountCents, amountCapturable: 0 },
          clock.now(),
        );
        return { intent: toIntent(updated) };
      }),
    cancel: ({ ref, idempotencyKey }) =>
      once('cancel', idempotencyKey, { ref }, async (tx) => {
        const row = await intentFor(tx, ref);
        if (row.status !== 'requires_payment_method' && row.status !== 'requires_capture')
          throw unexpected(row, 'cancel');
        const updated = await updateLocalIntent(tx, ref, { status: 'canceled', amountCapturable: 0 }, clock.now());
        return { intent: toIntent(updated) };
      }),
    chargeSaved: ({ paymentRef, amountCents, currency, paymentId, idempotencyKey }) =>
      once('charge', idempotencyKey, { paymentRef, amountCents, currency }, async (tx) => {
        const saved = await intentFor(tx, paymentRef);
        if (!saved.paymentMethod)
          throw new ProviderRefused('payment_method_missing', 'No card is saved with this payment');
        if (saved.metadata.offSessionDecline) {
          return {
            declined: { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
          };
        }
        const row = await insertLocalIntent(tx, {
          id: randomId('pi'),
          amountCents,
          currency,
          status: 'succeeded',
          metadata: { paymentId, offSession: 'true', savedFrom: paymentRef },
        });
        const charged = await updateLocalIntent(
          tx,
          row.id,
          {
            amountReceived: amountCents,
            cardBrand: saved.cardBrand,
            cardLast4: saved.cardLast4,
            paymentMethod: saved.paymentMethod,
          },
          clock.now(),
        );
        return { intent: toIntent(charged) };
      }),
    refund: async ({ ref, amountCents, idempotencyKey }) => {
      await once('refund', idempotencyKey, { ref, amountCents }, async (tx) => {
        const row = await intentFor(tx, ref);
        if (row.status !== 'succeeded') throw unexpected(row, 'refund');
        if (amountCents <= 0 || amountCents > row.amountReceived - row.amountRefunded) {
          throw new ProviderRefused(
            'amount_too_large',
            `The refund must be between 1 and ${row.amountReceived - row.amountRefunded}`,
          );
        }
        const updated = await updateLocalIntent(
          tx,
          ref,
          { amountRefunded: row.amountRefunded + amountCents },
          clock.now(),
        );
        return { intent: toIntent(updated) };
      });
      return { ref: `re_local_${hashOf(idempotencyKey).slice(0, 24)}`, amountCents };
    },
    // Payouts are recorded as paid (payments.md §2): there is no bank behind the embedded provider.
    transfer: async ({ amountCents, idempotencyKey }) => ({
      ref: `tr_local_${hashOf({ idempotencyKey, amountCents }).slice(0, 24)}`,
    }),
    needsPayoutAccount: false,
    publicConfig: () => ({ provider: 'local', publishableKey: null, testCards: true }),
  };
}
