import type { PaymentProviderName } from '../../shared/domain.js';

/*
 * The one interface to a payment provider (payments.md §2; the shape of Medusa's payment
 * providers). Nothing outside src/server/payments/ talks to a provider; nothing here knows about
 * sessions. Every call that moves or holds money takes an idempotency key derived from our own
 * ids (payments.md §1.2): retried with the same key, it can never move money twice.
 */

export type CardSummary = { brand: string; last4: string };

/** Card details, for the local provider only (with Stripe the browser talks to Stripe directly). */
export type CardDetails = { number: string; expMonth: number; expYear: number; cvc: string };

/** Stripe's vocabulary for a manual-capture payment, which both providers speak. */
export type IntentStatus = 'requires_payment_method' | 'requires_capture' | 'succeeded' | 'canceled' | 'processing';

export type ProviderIntent = {
  ref: string;
  status: IntentStatus;
  amountCents: number;
  /** What may still be captured (the hold). */
  capturableCents: number;
  capturedCents: number;
  refundedCents: number;
  card: CardSummary | null;
  /** For the browser's confirmation (Stripe's client secret); absent for the local provider. */
  clientSecret: string | null;
  /** The saved card for later off-session charges (extensions). */
  paymentMethod: string | null;
  customerRef: string | null;
};

/** The card was refused: said to the customer in words (`code`, `declineCode` as Stripe's). */
export class PaymentDeclined extends Error {
  override name = 'PaymentDeclined';
  constructor(
    readonly code: string,
    readonly declineCode: string | null,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The provider could not be reached, timed out or failed on its side (5xx): safe to retry with the
 * same idempotency key; the job runner does.
 */
export class ProviderUnavailable extends Error {
  override name = 'ProviderUnavailable';
}

/** The provider refused the request itself (an idempotency conflict, a bad state): retrying will not help. */
export class ProviderRefused extends Error {
  override name = 'ProviderRefused';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A verified webhook event, reduced to what the payments area acts on. */
export type ProviderEvent = {
  id: string;
  type: string;
  /** The payment intent it is about, when it is about one. */
  intentRef: string | null;
  intent: ProviderIntent | null;
  raw: unknown;
};

export type CreateIntentInput = {
  amountCents: number;
  currency: string;
  /** Our payment id, kept by the provider as metadata. */
  paymentId: string;
  customerId: string;
  customerEmail: string;
  idempotencyKey: string;
};

export type PaymentProvider = {
  name: PaymentProviderName;
  /** Opens a manual-capture payment for the amount; the card comes next (browser or `confirmCard`). */
  createIntent(input: CreateIntentInput): Promise<ProviderIntent>;
  /** Local provider only: authorises the card posted to our server (throws PaymentDeclined). */
  confirmCard?(input: { ref: string; card: CardDetails; idempotencyKey: string }): Promise<ProviderIntent>;
  retrieve(ref: string): Promise<ProviderIntent>;
  /** Captures part or all of the hold; the rest is released. */
  capture(input: { ref: string; amountCents: number; idempotencyKey: string }): Promise<ProviderIntent>;
  /** Releases the whole hold. */
  cancel(input: { ref: string; idempotencyKey: string }): Promise<ProviderIntent>;
  /**
   * Charges the card saved with `paymentRef` (the session's hold) off-session, at once — a session's
   * paid extension. Throws PaymentDeclined when the bank refuses it.
   */
  chargeSaved(input: {
    paymentRef: string;
    amountCents: number;
    currency: string;
    paymentId: string;
    idempotencyKey: string;
  }): Promise<ProviderIntent>;
  /** Refunds part or all of what an intent captured. */
  refund(input: {
    ref: string;
    amountCents: number;
    idempotencyKey: string;
  }): Promise<{ ref: string; amountCents: number }>;
  /** Pays a mechanic: a transfer to their connected account (the local provider records it as paid). */
  transfer(input: {
    destination: string | null;
    amountCents: number;
    currency: string;
    idempotencyKey: string;
  }): Promise<{ ref: string }>;
  /** Whether payouts need a connected account per mechanic (Stripe Connect) or not (local). */
  needsPayoutAccount: boolean;
  /** Stripe only: checks the signature against the raw body (throws when it does not match). */
  verifyWebhook?(rawBody: Buffer, signature: string): ProviderEvent;
  /** What the browser needs to show the provider's own card form (Stripe's publishable key). */
  publicConfig(): { provider: PaymentProviderName; publishableKey: string | null; testCards: boolean };
};

/** The local provider's test cards (payments.md §2), Stripe's semantics. */
export const TEST_CARDS = {
  '4242424242424242': { outcome: 'authorize', brand: 'visa' },
  '4000000000000002': { outcome: 'card_declined', brand: 'visa' },
  '4000000000009995': { outcome: 'insufficient_funds', brand: 'visa' },
  /** Authorises, but later off-session charges on it are declined (Stripe's 4000 0000 0000 0341). */
  '4000000000000341': { outcome: 'authorize_then_decline', brand: 'visa' },
} as const;
