import Stripe from 'stripe';
import {
  PaymentDeclined,
  ProviderRefused,
  ProviderUnavailable,
  type PaymentProvider,
  type ProviderEvent,
  type ProviderIntent,
} from './provider.js';

/*
 * The Stripe adapter, on the official SDK: PaymentIntents with manual capture, the card saved to
 * the customer for later off-session charges, webhooks verified against the raw body. Every
 * mutating call carries our idempotency key. In this workplace Stripe cannot be reached, so the
 * adapter is tested against a local HTTP stand-in of the endpoints it calls (tests/helpers/
 * stripe-stand-in.ts), error shapes included; `api` points the SDK at it.
 */

export type StripeOptions = {
  secretKey: string;
  webhookSecret: string;
  publishableKey: string | null;
  /** Where the API is; Stripe's own by default (tests point it at the stand-in). */
  api?: { host: string; port: number; protocol: 'http' | 'https' };
  /** The Stripe customer of one of our users, kept by the payments area (customers outlive idempotency keys). */
  customers: {
    find: (userId: string) => Promise<string | undefined>;
    save: (userId: string, ref: string) => Promise<void>;
  };
  timeoutMs?: number;
};

const EXPAND = ['payment_method', 'latest_charge'];

function toIntent(pi: Stripe.PaymentIntent): ProviderIntent {
  const method = typeof pi.payment_method === 'object' ? pi.payment_method : null;
  const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
  const card = method?.card ?? charge?.payment_method_details?.card ?? null;
  const known: readonly string[] = ['requires_capture', 'succeeded', 'canceled', 'processing'];
  // requires_confirmation / requires_action: not authorised yet, as far as we are concerned.
  const status = (known.includes(pi.status) ? pi.status : 'requires_payment_method') as ProviderIntent['status'];
  return {
    ref: pi.id,
    status,
    amountCents: pi.amount,
    capturableCents: pi.amount_capturable,
    capturedCents: pi.amount_received,
    refundedCents: charge?.amount_refunded ?? 0,
    card: card?.brand && card.last4 ? { brand: card.brand, last4: card.last4 } : null,
    clientSecret: pi.client_secret,
    paymentMethod: method?.id ?? (typeof pi.payment_method === 'string' ? pi.payment_method : null),
    customerRef: typeof pi.customer === 'string' ? pi.customer : (pi.customer?.id ?? null),
  };
}

/** Stripe's typed errors, as the three kinds the rest of the system acts on. */
function translate(error: unknown): Error {
  if (error instanceof Stripe.errors.StripeCardError) {
    return new PaymentDeclined(error.code ?? 'card_declined', error.decline_code ?? null, error.message);
  }
  if (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    (error instanceof Stripe.errors.StripeError && (error.statusCode ?? 0) >= 500)
  ) {
    return new ProviderUnavailable(`Stripe is unavailable: ${error.message}`);
  }
  if (error instanceof Stripe.errors.StripeIdempotencyError)
    return new ProviderRefused('idempotency_error', error.message);
  // Stripe's own vocabulary (`invalid_request_error`), not the SDK's class name, when there is no code.
  if (error instanceof Stripe.errors.StripeError)
    return new ProviderRefused(error.code ?? error.rawType ?? error.type, error.message);
  return error instanceof Error ? error : new Error(String(error));
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translate(error);
  }
}

export function createStripeProvider(options: StripeOptions): PaymentProvider {
  const stripe = new Stripe(options.secretKey, {
    // Our job runner retries (after asking the provider where things stand). stripe-node still
    // retries a dropped connection once on its own, with the same key: harmless.
    maxNetworkRetries: 0,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    ...(options.api ? { host: options.api.host, port: options.api.port, protocol: options.api.protocol } : {}),
  });

  async function customerFor(userId: string, email: string): Promise<string> {
    const known = await options.customers.find(userId);
    if (known) return known;
    const customer = await call(() =>
      stripe.customers.create({ email, metadata: { userId } }, { idempotencyKey: `customer:${userId}` }),
    );
    await options.customers.save(userId, customer.id);
    return customer.id;
  }

  return {
    name: 'stripe',
    async createIntent(input) {
      const customer = await customerFor(input.customerId, input.customerEmail);
      const pi = await call(() =>
        stripe.paymentIntents.create(
          {
            amount: input.amountCents,
            currency: input.currency.toLowerCase(),
            customer,
            capture_method: 'manual',
            // The card stays on the customer for the session's extensions, charged off-session.
            setup_future_usage: 'off_session',
            automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            metadata: { paymentId: input.paymentId },
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      return toIntent(pi);
    },
    retrieve: async (ref) => toIntent(await call(() => stripe.paymentIntents.retrieve(ref, { expand: EXPAND }))),
    capture: async ({ ref, amountCents, idempotencyKey }) =>
      toIntent(
        await call(() =>
          stripe.paymentIntents.capture(ref, { amount_to_capture: amountCents, expand: EXPAND }, { idempotencyKey }),
        ),
      ),
    cancel: async ({ ref, idempotencyKey }) =>
      toIntent(await call(() => stripe.paymentIntents.cancel(ref, { expand: EXPAND }, { idempotencyKey }))),
    async chargeSaved({ paymentRef, amountCents, currency, paymentId, idempotencyKey }) {
      const saved = await call(() => stripe.paymentIntents.retrieve(paymentRef));
      const customer = typeof saved.customer === 'string' ? saved.customer : saved.customer?.id;
      const method = typeof saved.payment_method === 'string' ? saved.payment_method : saved.payment_method?.id;
      if (!customer || !method)
        throw new ProviderRefused('payment_method_missing', 'No card is saved with this payment');
      const pi = await call(() =>
        stripe.paymentIntents.create(
          {
            amount: amountCents,
            currency: currency.toLowerCase(),
            customer,
            payment_method: method,
            off_session: true,
            confirm: true,
            // Confirmed here, with nobody to come back to: without allow_redirects=never Stripe
            // (automatic payment methods being on by default) refuses a confirmation that has no
            // return_url, card or not.
            automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            metadata: { paymentId, kind: 'extension' },
            expand: EXPAND,
          },
          { idempotencyKey },
        ),
      );
      return toIntent(pi);
    },
    async refund({ ref, amountCents, idempotencyKey }) {
      const refund = await call(() =>
        stripe.refunds.create({ payment_intent: ref, amount: amountCents }, { idempotencyKey }),
      );
      return { ref: refund.id, amountCents: refund.amount };
    },
    async transfer({ destination, amountCents, currency, idempotencyKey }) {
      if (!destination) throw new ProviderRefused('no_destination', 'The mechanic has no connected payout account yet');
      const transfer = await call(() =>
        stripe.transfers.create(
          { amount: amountCents, currency: currency.toLowerCase(), destination },
          { idempotencyKey },
        ),
      );
      return { ref: transfer.id };
    },
    // Stripe Connect: each mechanic is paid into their own connected account.
    needsPayoutAccount: true,
    verifyWebhook(rawBody, signature): ProviderEvent {
      // Throws Stripe's signature error when the body or the header was tampered with.
      const event = stripe.webhooks.constructEvent(rawBody, signature, options.webhookSecret);
      const object = event.data.object as { object?: string; id?: string; payment_intent?: unknown };
      const intent = object.object === 'payment_intent' ? toIntent(object as Stripe.PaymentIntent) : null;
      const intentRef =
        intent?.ref ??
        (typeof object.payment_intent === 'string'
          ? object.payment_intent
          : ((object.payment_intent as { id?: string } | null)?.id ?? null));
      return { id: event.id, type: event.type, intentRef, intent, raw: event };
    },
    publicConfig: () => ({ provider: 'stripe', publishableKey: options.publishableKey, testCards: false }),
  };
}
