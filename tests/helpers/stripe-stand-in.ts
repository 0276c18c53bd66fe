import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import type { Db } from '../../src/server/db/client.js';
import { findProviderCustomer, saveProviderCustomer } from '../../src/server/payments/payment.repository.js';
import type { PaymentProvider } from '../../src/server/payments/provider.js';
import { createStripeProvider } from '../../src/server/payments/stripe-provider.js';

/*
 * A local stand-in for the part of Stripe's API v1 our adapter calls (src/server/payments/
 * stripe-provider.ts), on a real HTTP server so the official SDK talks to it as it talks to Stripe:
 *
 *   POST /v1/customers                          GET /v1/customers/:id
 *   POST /v1/payment_intents                    GET /v1/payment_intents/:id
 *   POST /v1/payment_intents/:id/capture        POST /v1/payment_intents/:id/cancel
 *
 * What it follows, and where from:
 * - Object shapes. stripe/openapi (fetched at HEAD f6c2a48f, "Update OpenAPI specification"):
 *   openapi/spec3.json itself is over the snapshot's 4 MiB limit, so the field lists come from
 *   `openapi/fixtures3.json` → `resources.payment_intent`, `.customer`, `.charge`,
 *   `.payment_method`, `.event` (example objects of the current API version), cross-checked with
 *   the SDK's own generated types (node_modules/stripe, "File generated from our OpenAPI spec",
 *   OPENAPI_VERSION v2596, API version 2026-10-28.endive): `PaymentIntent`, `Customer`, `Charge`,
 *   `PaymentMethod`, `EventBase`. From the stored copy of `openapi/spec3.json` (an older version,
 *   read in part): `components.schemas.payment_intent` (status enum, `last_payment_error` →
 *   `api_errors`, `payment_method` string-or-expanded, `x-expandableFields`),
 *   `components.schemas.payment_method_details_card` and `components.schemas.api_errors` (the
 *   error object: type enum `api_error | card_error | idempotency_error | invalid_request_error |
 *   …`, `code`, `decline_code`, `doc_url`, `message`, `param`, `payment_intent`, `charge`).
 *   Request bodies are `application/x-www-form-urlencoded` with `style: deepObject, explode`
 *   (`metadata[paymentId]=…`, `expand[0]=…`; `expand[]=` is accepted too); GET takes the same in
 *   the query string.
 * - Semantics (docs.stripe.com: "Idempotent requests", "Advanced error handling", "Place a hold on
 *   a card", the capture and cancel references as quoted in the SDK's doc comments):
 *   manual capture → `requires_capture` with `amount_capturable`; capture only from
 *   `requires_capture` (else 400 `payment_intent_unexpected_state`), at most `amount_capturable`,
 *   the remainder released; cancel refunds the remaining `amount_capturable` (the charge shows
 *   it as refunded). Idempotency: a key's first result is saved once the endpoint starts
 *   executing — successes and errors alike, a 500 included — and replayed with
 *   `Idempotent-Replayed: true`; the same key with other parameters, or on another endpoint, is
 *   400 `idempotency_error`; failed validation and authentication (401) are not saved. Keys on GET
 *   have no effect. 401 for a missing or wrong key, typed `invalid_request_error` as Stripe does.
 *
 * Not in the description, so modelled on Stripe's observed behaviour and worth re-checking: the
 * remainder released by a partial capture shown as `amount_refunded` on the charge (as cancel
 * is); the exact wording of error messages other than the idempotency-parameters one; the
 * "same endpoint" idempotency error; `invalid_request_error` as the type of 401s.
 *
 * Deliberate simplifications: one account, test mode only, no 3-D Secure / `requires_action`, no
 * refunds, no lists, no rate limits. Injected faults (`failNext`) happen in front of the API, so
 * nothing is saved under the key (as with a load balancer's 5xx or a network fault) unless
 * `afterWork` says the work was done and only the answer was lost, or `saved` says Stripe's API
 * itself failed with a 500 once the endpoint had begun — which Stripe saves under the key and
 * replays to every retry with that key.
 */

export const STAND_IN_KEYS = {
  secretKey: 'sk_test_standin',
  webhookSecret: 'whsec_test_standin',
  publishableKey: 'pk_test_standin',
} as const;

/** The API version the SDK pins (and sends as `Stripe-Version`); events carry it. */
export const STAND_IN_API_VERSION = '2026-10-28.endive';

/** Stripe's test payment methods the browser's Payment Element would send. */
export type TestCard = 'pm_card_visa' | 'pm_card_chargeDeclined' | 'pm_card_chargeDeclinedInsufficientFunds';

export type Failure = 'status500' | 'timeout' | 'reset' | 'card_declined' | 'insufficient_funds';

export type RecordedRequest = {
  method: string;
  /** Without the query string. */
  path: string;
  idempotencyKey: string | null;
  /** The parsed form body (POST) or query (GET). */
  body: Params;
  status: number | null;
  replayed: boolean;
  failure: Failure | null;
};

export type StripeEvent = {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: Json; previous_attributes?: Json };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
};

type Json = Record<string, unknown>;
type Params = { [key: string]: ParamValue };
type ParamValue = string | ParamValue[] | Params;

const CARDS: Record<
  TestCard,
  { brand: string; last4: string; fingerprint: string; decline: null | { code: string; message: string } }
> = {
  pm_card_visa: { brand: 'visa', last4: '4242', fingerprint: 'Xt5EWLLDS7FJjR1c', decline: null },
  pm_card_chargeDeclined: {
    brand: 'visa',
    last4: '0002',
    fingerprint: 'f1Hq2ZpBbJmkB7Yt',
    decline: { code: 'generic_decline', message: 'Your card was declined.' },
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa',
    last4: '9995',
    fingerprint: 'wP6sQrLh4cTm9yDx',
    decline: { code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  },
};

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const randomId = (length: number) =>
  Array.from(crypto.randomBytes(length), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
const SERVER_ERROR: Json = {
  error: {
    type: 'api_error',
    message:
      "Sorry, something went wrong. We've already been notified of the problem, but if you need any help, you can reach us at support.stripe.com/contact.",
  },
};
const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;

/** An API error as Stripe answers it; `save: false` for what fails before the endpoint runs. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: Json,
    readonly save = true,
  ) {
    super(String(error.message));
  }
}

const invalid = (message: string, extra: Json = {}, save = false) =>
  new ApiError(400, { type: 'invalid_request_error', message, ...extra }, save);
const unknownParameter = (param: string) =>
  invalid(`Received unknown parameter: ${param}`, {
    code: 'parameter_unknown',
    param,
    doc_url: docUrl('parameter_unknown'),
  });
const missing = (param: string) =>
  invalid(`Missing required param: ${param}.`, {
    code: 'parameter_missing',
    param,
    doc_url: docUrl('parameter_missing'),
  });
const noSuch = (kind: string, id: string, param: string, status = 404) =>
  new ApiError(
    status,
    {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such ${kind}: '${id}'`,
      param,
      doc_url: docUrl('resource_missing'),
    },
    status === 404,
  );

// ---- form encoding: Stripe's deepObject style ----------------------------------------------------

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw invalid(`Invalid request: could not decode '${text}'`);
  }
}

/** `a=1&b[c]=2&expand[0]=x&expand[]=y` → `{ a: '1', b: { c: '2' }, expand: ['x', 'y'] }`. */
export function parseForm(text: string): Params {
  const root: Params = {};
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const key = decode(at < 0 ? pair : pair.slice(0, at));
    const value = decode(at < 0 ? '' : pair.slice(at + 1));
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    if (!match) throw invalid(`Invalid parameter name: ${key}`);
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node: Params | ParamValue[] = root;
    path.forEach((segment, i) => {
      const last = i === path.length - 1;
      const nextIsArray = !last && (path[i + 1] === '' || /^\d+$/.test(path[i + 1]!));
      const fresh = (): ParamValue => (last ? value : nextIsArray ? [] : {});
      if (Array.isArray(node)) {
        const index = segment === '' ? node.length : Number(segment);
        if (segment !== '' && !/^\d+$/.test(segment)) throw invalid(`Invalid array parameter: ${key}`);
        if (last) node[index] = value;
        else node = (node[index] ??= fresh()) as Params | ParamValue[];
        return;
      }
      if (segment === '' || /^\d+$/.test(segment)) throw invalid(`Invalid hash parameter: ${key}`);
      if (last) node[segment] = value;
      else node = (node[segment] ??= fresh()) as Params | ParamValue[];
    });
  }
  return root;
}

/** The parameters as Stripe compares them for an idempotent retry (order of keys aside). */
function canonical(value: ParamValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k]!)}`)
    .join(',')}}`;
}

// ---- parameter validation ------------------------------------------------------------------------

function only(params: Params, allowed: readonly string[]) {
  for (const key of Object.keys(params)) if (!allowed.includes(key)) throw unknownParameter(key);
}

function str(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`Invalid string: ${name}`, { param: name });
  return value;
}

function int(params: Params, name: string): number | undefined {
  const value = str(params, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) {
    throw invalid(`Invalid integer: ${value}`, {
      code: 'parameter_invalid_integer',
      param: name,
      doc_url: docUrl('parameter_invalid_integer'),
    });
  }
  return Number(value);
}

function bool(value: ParamValue | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw invalid(`Invalid boolean: ${String(value)}`, { param: name });
  return value === 'true';
}

function oneOf<T extends string>(params: Params, name: string, values: readonly T[]): T | undefined {
  const value = str(params, name);
  if (value === undefined) return undefined;
  if (!values.includes(value as T)) {
    throw invalid(`Invalid ${name}: must be one of ${values.join(', ')}`, { param: name });
  }
  return value as T;
}

function metadataOf(params: Params): Record<string, string> {
  const value = params.metadata;
  if (value === undefined || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('Invalid object', { param: 'metadata' });
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalid('Metadata values must be strings', { param: `metadata[${key}]` });
    if (key.length > 40) throw invalid('Metadata keys can be at most 40 characters', { param: `metadata[${key}]` });
    if (v.length > 500) throw invalid('Metadata values can be at most 500 characters', { param: `metadata[${key}]` });
    out[key] = v;
  }
  return out;
}

function expandOf(params: Params, expandable: readonly string[]): string[] {
  const value = params.expand;
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw invalid('Invalid array', { param: 'expand' });
  for (const field of value as string[]) {
    if (!expandable.includes(field)) throw invalid(`This property cannot be expanded (${field}).`, { param: 'expand' });
  }
  return value as string[];
}

// ---- the stored objects --------------------------------------------------------------------------

type CustomerState = {
  id: string;
  created: number;
  email: string | null;
  name: string | null;
  description: string | null;
  metadata: Record<string, string>;
};

type MethodState = { id: string; created: number; card: TestCard; customer: string | null };

type ChargeState = {
  id: string;
  created: number;
  amount: number;
  currency: string;
  customer: string | null;
  paymentIntent: string;
  paymentMethod: string;
  card: TestCard;
  status: 'succeeded' | 'failed';
  captured: boolean;
  amountCaptured: number;
  amountRefunded: number;
  failure: { code: string; declineCode: string; message: string } | null;
};

type IntentState = {
  id: string;
  created: number;
  amount: number;
  currency: string;
  customer: string | null;
  captureMethod: 'automatic' | 'automatic_async' | 'manual';
  setupFutureUsage: 'off_session' | 'on_session' | null;
  automaticPaymentMethods: { enabled: boolean; allow_redirects?: 'always' | 'never' } | null;
  metadata: Record<string, string>;
  description: string | null;
  receiptEmail: string | null;
  status: 'requires_payment_method' | 'requires_capture' | 'succeeded' | 'canceled';
  amountCapturable: number;
  amountReceived: number;
  clientSecret: string;
  paymentMethod: string | null;
  latestCharge: string | null;
  lastPaymentError: Json | null;
  canceledAt: number | null;
  cancellationReason: string | null;
};

type Saved = { method: string; path: string; params: string; status: number; body: string; requestId: string };

type Outcome = { status: number; body: Json };

export type StripeStandIn = {
  host: string;
  port: number;
  /** Every HTTP request received, in order (faulted ones included). */
  readonly requests: RecordedRequest[];
  /** The events Stripe would have sent for what happened here, oldest first (not delivered: tests do that). */
  readonly events: StripeEvent[];
  /** What the browser's Payment Element does with `stripe.confirmPayment`: authorise, or decline. */
  confirm(intentId: string, card: TestCard): Json;
  /** Stripe releasing an uncaptured hold by itself (after 7 days): `canceled`, reason `automatic`. */
  expire(intentId: string): Json;
  /**
   * The next `count` HTTP requests fail so, in front of the API (nothing saved under the key).
   * `afterWork`: the request is carried out (and saved) first, only the answer is lost.
   * `saved` (status500 only): the API's own 500, saved under the idempotency key and replayed.
   */
  failNext(count: number, failure: Failure, options?: { afterWork?: boolean; saved?: boolean }): void;
  /** A PaymentIntent as the API would answer it now, with the fields of `expand` expanded. */
  intent(id: string, expand?: readonly ('payment_method' | 'latest_charge' | 'customer')[]): Json;
  customer(id: string): Json | undefined;
  readonly customerCount: number;
  /** A Stripe event object around `object`. */
  event(type: string, object: Json, options?: { created?: number; request?: StripeEvent['request'] }): StripeEvent;
  /** A `Stripe-Signature` header for the payload, from the SDK's `generateTestHeaderString`. */
  sign(payload: string, secret?: string, options?: { timestamp?: number }): string;
  close(): Promise<void>;
};

export async function startStripeStandIn(options: { secretKey?: string } = {}): Promise<StripeStandIn> {
  const secretKey = options.secretKey ?? STAND_IN_KEYS.secretKey;
  const customers = new Map<string, CustomerState>();
  const methods = new Map<string, MethodState>();
  const charges = new Map<string, ChargeState>();
  const intents = new Map<string, IntentState>();
  const saved = new Map<string, Saved>();
  const requests: RecordedRequest[] = [];
  const events: StripeEvent[] = [];
  const failures: { failure: Failure; afterWork: boolean; saved: boolean }[] = [];
  const now = () => Math.floor(Date.now() / 1000);

  // ---- serialisation, field for field as the API answers ----

  function customerJson(c: CustomerState): Json {
    return {
      id: c.id,
      object: 'customer',
      address: null,
      balance: 0,
      created: c.created,
      currency: null,
      customer_account: null,
      default_source: null,
      delinquent: false,
      description: c.description,
      discount: null,
      email: c.email,
      invoice_prefix: c.id.slice(4, 12).toUpperCase(),
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: { ...c.metadata },
      name: c.name,
      next_invoice_sequence: 1,
      phone: null,
      preferred_locales: [],
      shipping: null,
      tax_exempt: 'none',
      test_clock: null,
    };
  }

  function methodJson(m: MethodState): Json {
    const card = CARDS[m.card];
    return {
      id: m.id,
      object: 'payment_method',
      allow_redisplay: 'unspecified',
      billing_details: {
        address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
        email: null,
        name: null,
        phone: null,
        tax_id: null,
      },
      card: {
        brand: card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: 'US',
        display_brand: card.brand,
        exp_month: 12,
        exp_year: 2034,
        fingerprint: card.fingerprint,
        funding: 'credit',
        generated_from: null,
        last4: card.last4,
        networks: { available: [card.brand], preferred: null },
        regulated_status: 'unregulated',
        three_d_secure_usage: { supported: true },
        wallet: null,
      },
      created: m.created,
      customer: m.customer,
      customer_account: null,
      livemode: false,
      metadata: {},
      type: 'card',
    };
  }

  function chargeJson(ch: ChargeState): Json {
    const card = CARDS[ch.card];
    const declined = ch.failure;
    return {
      id: ch.id,
      object: 'charge',
      amount: ch.amount,
      amount_captured: ch.amountCaptured,
      amount_refunded: ch.amountRefunded,
      application: null,
      application_fee: null,
      application_fee_amount: null,
      balance_transaction: ch.captured ? `txn_${ch.id.slice(3)}` : null,
      billing_details: {
        address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
        email: null,
        name: null,
        phone: null,
        tax_id: null,
      },
      calculated_statement_descriptor: 'AUTODOCTOR',
      captured: ch.captured,
      created: ch.created,
      currency: ch.currency,
      customer: ch.customer,
      description: null,
      disputed: false,
      failure_balance_transaction: null,
      failure_code: declined ? 'card_declined' : null,
      failure_message: declined?.message ?? null,
      fraud_details: {},
      livemode: false,
      metadata: {},
      on_behalf_of: null,
      outcome: declined
        ? {
            advice_code: 'try_again_later',
            network_advice_code: null,
            network_decline_code: null,
            network_status: 'declined_by_network',
            reason: declined.declineCode,
            risk_level: 'normal',
            seller_message: 'The bank did not return any further details with this decline.',
            type: 'issuer_declined',
          }
        : {
            advice_code: null,
            network_advice_code: null,
            network_decline_code: null,
            network_status: 'approved_by_network',
            reason: null,
            risk_level: 'normal',
            seller_message: 'Payment complete.',
            type: 'authorized',
          },
      paid: !declined,
      payment_intent: ch.paymentIntent,
      payment_method: ch.paymentMethod,
      payment_method_details: {
        card: {
          amount_authorized: declined ? null : ch.amount,
          authorization_code: declined ? null : '123456',
          brand: card.brand,
          capture_before: ch.created + 7 * 86_400,
          checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
          country: 'US',
          exp_month: 12,
          exp_year: 2034,
          extended_authorization: { status: 'disabled' },
          fingerprint: card.fingerprint,
          funding: 'credit',
          incremental_authorization: { status: 'unavailable' },
          installments: null,
          last4: card.last4,
          mandate: null,
          multicapture: { status: 'unavailable' },
          network: card.brand,
          network_token: { used: false },
          network_transaction_id: null,
          overcapture: { maximum_amount_capturable: ch.amount, status: 'unavailable' },
          regulated_status: 'unregulated',
          three_d_secure: null,
          wallet: null,
        },
        type: 'card',
      },
      receipt_email: null,
      receipt_number: null,
      receipt_url: null,
      refunded: ch.amountRefunded > 0 && ch.amountRefunded === ch.amount,
      review: null,
      shipping: null,
      source: null,
      source_transfer: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status: ch.status,
      transfer_data: null,
      transfer_group: null,
    };
  }

  function intentJson(pi: IntentState, expand: readonly string[] = []): Json {
    const method = pi.paymentMethod ? methods.get(pi.paymentMethod) : undefined;
    const charge = pi.latestCharge ? charges.get(pi.latestCharge) : undefined;
    const customer = pi.customer ? customers.get(pi.customer) : undefined;
    return {
      id: pi.id,
      object: 'payment_intent',
      allowed_payment_method_types: null,
      amount: pi.amount,
      amount_capturable: pi.amountCapturable,
      amount_details: { tip: {} },
      amount_received: pi.amountReceived,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: pi.automaticPaymentMethods,
      canceled_at: pi.canceledAt,
      cancellation_reason: pi.cancellationReason,
      capture_method: pi.captureMethod,
      client_secret: pi.clientSecret,
      confirmation_method: 'automatic',
      created: pi.created,
      currency: pi.currency,
      customer: expand.includes('customer') && customer ? customerJson(customer) : pi.customer,
      customer_account: null,
      description: pi.description,
      excluded_payment_method_types: null,
      last_payment_error: pi.lastPaymentError,
      latest_charge: expand.includes('latest_charge') && charge ? chargeJson(charge) : pi.latestCharge,
      livemode: false,
      managed_payments: null,
      metadata: { ...pi.metadata },
      next_action: null,
      on_behalf_of: null,
      payment_method: expand.includes('payment_method') && method ? methodJson(method) : pi.paymentMethod,
      payment_method_configuration_details: pi.automaticPaymentMethods?.enabled
        ? { id: 'pmc_standin000000000000000', parent: null }
        : null,
      payment_method_options: {
        card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
      },
      payment_method_types: ['card'],
      payment_record: null,
      processing: null,
      receipt_email: pi.receiptEmail,
      review: null,
      setup_future_usage: pi.setupFutureUsage,
      shipping: null,
      source: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status: pi.status,
      transfer_data: null,
      transfer_group: null,
    };
  }

  function event(
    type: string,
    object: Json,
    extra: { created?: number; request?: StripeEvent['request'] } = {},
  ): StripeEvent {
    return {
      id: `evt_${randomId(24)}`,
      object: 'event',
      api_version: STAND_IN_API_VERSION,
      created: extra.created ?? now(),
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: extra.request ?? { id: null, idempotency_key: null },
      type,
    };
  }

  /** Stripe's events carry the object unexpanded, as of the moment it changed. */
  const emit = (type: string, pi: IntentState, request: StripeEvent['request'] = { id: null, idempotency_key: null }) =>
    events.push(event(type, intentJson(pi), { request }));

  const intentOr404 = (id: string) => {
    const pi = intents.get(id);
    if (!pi) throw noSuch('payment_intent', id, 'intent');
    return pi;
  };

  const unexpectedState = (pi: IntentState, action: 'captured' | 'canceled', allowed: string[]) =>
    new ApiError(400, {
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      doc_url: docUrl('payment_intent_unexpected_state'),
      message:
        action === 'captured'
          ? `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: ${allowed.join(', ')}.`
          : `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${allowed.join(', ')}.`,
      payment_intent: intentJson(pi),
    });

  // ---- the endpoints ----

  type Handler = (params: Params, id: string | undefined, request: StripeEvent['request']) => Outcome;

  const createCustomer: Handler = (params) => {
    only(params, ['email', 'name', 'description', 'metadata', 'phone', 'expand']);
    expandOf(params, []);
    const c: CustomerState = {
      id: `cus_${randomId(14)}`,
      created: now(),
      email: str(params, 'email') ?? null,
      name: str(params, 'name') ?? null,
      description: str(params, 'description') ?? null,
      metadata: metadataOf(params),
    };
    customers.set(c.id, c);
    return { status: 200, body: customerJson(c) };
  };

  const retrieveCustomer: Handler = (params, id) => {
    only(params, ['expand']);
    const c = customers.get(id!);
    if (!c) throw noSuch('customer', id!, 'id');
    return { status: 200, body: customerJson(c) };
  };

  const PI_EXPANDABLE = ['payment_method', 'latest_charge', 'customer'] as const;

  const createIntent: Handler = (params, _id, request) => {
    only(params, [
      'amount',
      'currency',
      'customer',
      'capture_method',
      'setup_future_usage',
      'automatic_payment_methods',
      'payment_method_types',
      'metadata',
      'description',
      'receipt_email',
      'statement_descriptor_suffix',
      'expand',
    ]);
    const amount = int(params, 'amount');
    if (amount === undefined) throw missing('amount');
    const currency = str(params, 'currency');
    if (currency === undefined) throw missing('currency');
    if (!/^[a-z]{3}$/.test(currency)) throw invalid(`Invalid currency: ${currency}.`, { param: 'currency' });
    if (amount < 50) {
      throw invalid(`Amount must be at least 50 cents`, {
        code: 'amount_too_small',
        param: 'amount',
        doc_url: docUrl('amount_too_small'),
      });
    }
    if (amount > 99_999_999) {
      throw invalid('Amount must be no more than $999,999.99', {
        code: 'amount_too_large',
        param: 'amount',
        doc_url: docUrl('amount_too_large'),
      });
    }
    const customer = str(params, 'customer');
    if (customer !== undefined && !customers.has(customer)) throw noSuch('customer', customer, 'customer', 400);
    const apm = params.automatic_payment_methods;
    let automaticPaymentMethods: IntentState['automaticPaymentMethods'] = null;
    if (apm !== undefined) {
      if (typeof apm !== 'object' || Array.isArray(apm))
        throw invalid('Invalid hash', { param: 'automatic_payment_methods' });
      only(apm, ['enabled', 'allow_redirects']);
      const enabled = bool(apm.enabled, 'automatic_payment_methods[enabled]');
      if (enabled === undefined) throw missing('automatic_payment_methods[enabled]');
      const allowRedirects = oneOf(apm, 'allow_redirects', ['always', 'never'] as const);
      automaticPaymentMethods = { enabled, ...(allowRedirects ? { allow_redirects: allowRedirects } : {}) };
    }
    if (automaticPaymentMethods?.enabled && params.payment_method_types !== undefined) {
      throw invalid('You may only specify one of these parameters: automatic_payment_methods, payment_method_types.', {
        param: 'automatic_payment_methods',
      });
    }
    const expand = expandOf(params, PI_EXPANDABLE);
    const id = `pi_3${randomId(23)}`;
    const pi: IntentState = {
      id,
      created: now(),
      amount,
      currency,
      customer: customer ?? null,
      captureMethod:
        oneOf(params, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const) ?? 'automatic_async',
      setupFutureUsage: oneOf(params, 'setup_future_usage', ['off_session', 'on_session'] as const) ?? null,
      // Enabled by default since API version 2023-08-16, unless payment_method_types are given.
      automaticPaymentMethods: automaticPaymentMethods ?? (params.payment_method_types ? null : { enabled: true }),
      metadata: metadataOf(params),
      description: str(params, 'description') ?? null,
      receiptEmail: str(params, 'receipt_email') ?? null,
      status: 'requires_payment_method',
      amountCapturable: 0,
      amountReceived: 0,
      clientSecret: `${id}_secret_${randomId(25)}`,
      paymentMethod: null,
      latestCharge: null,
      lastPaymentError: null,
      canceledAt: null,
      cancellationReason: null,
    };
    intents.set(id, pi);
    emit('payment_intent.created', pi, request);
    return { status: 200, body: intentJson(pi, expand) };
  };

  const retrieveIntent: Handler = (params, id) => {
    only(params, ['expand', 'client_secret']);
    const expand = expandOf(params, PI_EXPANDABLE);
    return { status: 200, body: intentJson(intentOr404(id!), expand) };
  };

  const captureIntent: Handler = (params, id, request) => {
    only(params, ['amount_to_capture', 'expand', 'metadata', 'final_capture', 'statement_descriptor_suffix']);
    const expand = expandOf(params, PI_EXPANDABLE);
    const requested = int(params, 'amount_to_capture');
    const pi = intentOr404(id!);
    if (pi.status !== 'requires_capture') throw unexpectedState(pi, 'captured', ['requires_capture']);
    const amount = requested ?? pi.amountCapturable;
    if (amount > pi.amountCapturable) {
      throw new ApiError(400, {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        doc_url: docUrl('amount_too_large'),
        param: 'amount_to_capture',
        message: `The amount to capture (${amount}) must be less than or equal to the amount capturable (${pi.amountCapturable}).`,
        payment_intent: intentJson(pi),
      });
    }
    if (amount < 1) {
      throw new ApiError(400, {
        type: 'invalid_request_error',
        code: 'amount_too_small',
        doc_url: docUrl('amount_too_small'),
        param: 'amount_to_capture',
        message: 'The amount to capture must be greater than zero.',
      });
    }
    const charge = charges.get(pi.latestCharge!)!;
    // "Partially capturing automatically releases the remaining amount": Stripe books the
    // released remainder on the charge as refunded.
    Object.assign(charge, { captured: true, amountCaptured: amount, amountRefunded: charge.amount - amount });
    Object.assign(pi, {
      status: 'succeeded',
      amountReceived: amount,
      amountCapturable: 0,
      metadata: { ...pi.metadata, ...metadataOf(params) },
    });
    emit('payment_intent.succeeded', pi, request);
    return { status: 200, body: intentJson(pi, expand) };
  };

  const CANCELABLE = [
    'requires_payment_method',
    'requires_capture',
    'requires_confirmation',
    'requires_action',
    'processing',
  ];

  function cancel(pi: IntentState, reason: string | null, request: StripeEvent['request']) {
    if (!CANCELABLE.includes(pi.status)) throw unexpectedState(pi, 'canceled', CANCELABLE);
    const charge = pi.latestCharge ? charges.get(pi.latestCharge) : undefined;
    // "the remaining amount_capturable is automatically refunded"
    if (charge && pi.status === 'requires_capture') charge.amountRefunded = charge.amount;
    Object.assign(pi, { status: 'canceled', amountCapturable: 0, canceledAt: now(), cancellationReason: reason });
    emit('payment_intent.canceled', pi, request);
  }

  const cancelIntent: Handler = (params, id, request) => {
    only(params, ['cancellation_reason', 'expand']);
    const expand = expandOf(params, PI_EXPANDABLE);
    const reason = oneOf(params, 'cancellation_reason', [
      'duplicate',
      'fraudulent',
      'requested_by_customer',
      'abandoned',
    ] as const);
    const pi = intentOr404(id!);
    cancel(pi, reason ?? null, request);
    return { status: 200, body: intentJson(pi, expand) };
  };

  const routes: { method: string; pattern: RegExp; handler: Handler }[] = [
    { method: 'POST', pattern: /^\/v1\/customers$/, handler: createCustomer },
    { method: 'GET', pattern: /^\/v1\/customers\/([^/]+)$/, handler: retrieveCustomer },
    { method: 'POST', pattern: /^\/v1\/payment_intents$/, handler: createIntent },
    { method: 'GET', pattern: /^\/v1\/payment_intents\/([^/]+)$/, handler: retrieveIntent },
    { method: 'POST', pattern: /^\/v1\/payment_intents\/([^/]+)\/capture$/, handler: captureIntent },
    { method: 'POST', pattern: /^\/v1\/payment_intents\/([^/]+)\/cancel$/, handler: cancelIntent },
  ];

  // ---- HTTP ----

  function authorize(header: string | undefined): void {
    const noKey =
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";
    const match = /^Bearer (\S+)$/.exec(header ?? '') ?? null;
    let key = match?.[1];
    if (!key && header?.startsWith('Basic ')) key = Buffer.from(header.slice(6), 'base64').toString().split(':')[0];
    if (!key) throw new ApiError(401, { type: 'invalid_request_error', message: noKey }, false);
    if (key !== secretKey || !key.startsWith('sk_test_')) {
      throw new ApiError(
        401,
        {
          type: 'invalid_request_error',
          message: `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`,
        },
        false,
      );
    }
  }

  function execute(
    method: string,
    path: string,
    params: Params,
    idempotencyKey: string | null,
    requestId: string,
  ): Outcome & { save: boolean } {
    const route = routes.find((r) => r.method === method && r.pattern.test(path));
    if (!route) {
      return {
        status: 404,
        save: false,
        body: {
          error: {
            type: 'invalid_request_error',
            message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
          },
        },
      };
    }
    const id = route.pattern.exec(path)?.[1];
    try {
      return {
        ...route.handler(params, id && decodeURIComponent(id), { id: requestId, idempotency_key: idempotencyKey }),
        save: true,
      };
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, body: { error: error.error }, save: error.save };
      return { status: 500, save: true, body: { error: { type: 'api_error', message: String(error) } } };
    }
  }

  const declineBody = (declineCode: string, message: string) => ({
    error: {
      type: 'card_error',
      code: 'card_declined',
      decline_code: declineCode,
      message,
      doc_url: docUrl('card_declined'),
      advice_code: 'try_again_later',
    },
  });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => {}); // the client went away (its timeout): nothing to answer
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'api_error', message: `stand-in: ${String(error)}` } }));
      }
    });
  });
  server.keepAliveTimeout = 5_000;

  function handle(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string) {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = req.method ?? 'GET';
    const keyHeader = req.headers['idempotency-key'];
    const idempotencyKey = method === 'POST' && typeof keyHeader === 'string' ? keyHeader : null;
    const requestId = `req_${randomId(14)}`;
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      idempotencyKey,
      body: {},
      status: null,
      replayed: false,
      failure: null,
    };
    requests.push(record);

    const send = (status: number, body: Json | string, extra: Record<string, string> = {}) => {
      record.status = status;
      const text = typeof body === 'string' ? body : `${JSON.stringify(body, null, 2)}\n`;
      res.writeHead(status, {
        'content-type': 'application/json',
        'request-id': requestId,
        'stripe-version': String(req.headers['stripe-version'] ?? STAND_IN_API_VERSION),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        ...extra,
      });
      res.end(text);
    };
    const fail = (failure: Failure) => {
      record.failure = failure;
      if (failure === 'timeout') return; // never answers; close() ends the socket
      if (failure === 'reset') return void req.socket.destroy();
      if (failure === 'status500') return send(500, SERVER_ERROR);
      return send(
        402,
        failure === 'insufficient_funds'
          ? declineBody('insufficient_funds', 'Your card has insufficient funds.')
          : declineBody('generic_decline', 'Your card was declined.'),
      );
    };

    let params: Params = {};
    let refused: ApiError | null = null;
    try {
      params = parseForm(method === 'GET' ? url.search.slice(1) : rawBody);
      record.body = params;
      authorize(req.headers.authorization);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      refused = error;
    }
    const injected = failures.shift();
    if (injected && !injected.afterWork && !injected.saved) return fail(injected.failure);
    if (refused) return send(refused.status, { error: refused.error });

    let status: number;
    let body: string;
    let extra: Record<string, string> = {};
    const previous = idempotencyKey ? saved.get(idempotencyKey) : undefined;
    if (previous && (previous.method !== method || previous.path !== url.pathname)) {
      status = 400;
      body = JSON.stringify({
        error: {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${previous.method} ${previous.path}' vs '${method} ${url.pathname}'). Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        },
      });
    } else if (previous && previous.params !== canonical(params)) {
      status = 400;
      body = JSON.stringify({
        error: {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        },
      });
    } else if (previous) {
      status = previous.status;
      body = previous.body;
      record.replayed = true;
      extra = { 'idempotent-replayed': 'true', 'original-request': previous.requestId };
    } else {
      const outcome = injected?.saved
        ? { status: 500, save: true, body: SERVER_ERROR }
        : execute(method, url.pathname, params, idempotencyKey, requestId);
      if (injected?.saved) record.failure = injected.failure;
      status = outcome.status;
      body = `${JSON.stringify(outcome.body, null, 2)}\n`;
      if (idempotencyKey && outcome.save) {
        saved.set(idempotencyKey, { method, path: url.pathname, params: canonical(params), status, body, requestId });
      }
    }
    if (injected?.afterWork) return fail(injected.failure); // done, and the answer is lost
    send(status, body, extra);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  // ---- the test-only control API (what the browser and time do) ----

  function confirm(intentId: string, cardName: TestCard): Json {
    const pi = intents.get(intentId);
    if (!pi) throw new Error(`stand-in: no such payment_intent ${intentId}`);
    if (pi.status !== 'requires_payment_method') {
      throw new Error(
        `stand-in: a PaymentIntent with status ${pi.status} cannot be confirmed (payment_intent_unexpected_state)`,
      );
    }
    const card = CARDS[cardName];
    const created = now();
    const method: MethodState = { id: `pm_1${randomId(23)}`, created, card: cardName, customer: null };
    methods.set(method.id, method);
    const charge: ChargeState = {
      id: `ch_3${randomId(23)}`,
      created,
      amount: pi.amount,
      currency: pi.currency,
      customer: pi.customer,
      paymentIntent: pi.id,
      paymentMethod: method.id,
      card: cardName,
      status: card.decline ? 'failed' : 'succeeded',
      captured: false,
      amountCaptured: 0,
      amountRefunded: 0,
      failure: card.decline
        ? { code: 'card_declined', declineCode: card.decline.code, message: card.decline.message }
        : null,
    };
    charges.set(charge.id, charge);
    pi.latestCharge = charge.id;
    if (card.decline) {
      // The intent waits for another card; the error remembers the one that failed.
      Object.assign(pi, {
        paymentMethod: null,
        lastPaymentError: {
          type: 'card_error',
          code: 'card_declined',
          decline_code: card.decline.code,
          message: card.decline.message,
          doc_url: docUrl('card_declined'),
          advice_code: 'try_again_later',
          charge: charge.id,
          payment_method: methodJson(method),
        },
      });
      emit('payment_intent.payment_failed', pi);
      return intentJson(pi);
    }
    // setup_future_usage with a customer: the card is saved on the customer.
    if (pi.setupFutureUsage && pi.customer) method.customer = pi.customer;
    pi.paymentMethod = method.id;
    pi.lastPaymentError = null;
    if (pi.captureMethod === 'manual') {
      Object.assign(pi, { status: 'requires_capture', amountCapturable: pi.amount });
      emit('payment_intent.amount_capturable_updated', pi);
    } else {
      Object.assign(charge, { captured: true, amountCaptured: pi.amount });
      Object.assign(pi, { status: 'succeeded', amountReceived: pi.amount });
      emit('payment_intent.succeeded', pi);
    }
    return intentJson(pi);
  }

  return {
    host: '127.0.0.1',
    port,
    requests,
    events,
    confirm,
    expire(intentId) {
      const pi = intents.get(intentId);
      if (!pi) throw new Error(`stand-in: no such payment_intent ${intentId}`);
      cancel(pi, 'automatic', { id: null, idempotency_key: null });
      return intentJson(pi);
    },
    failNext(count, failure, failOptions = {}) {
      if (failOptions.saved && failure !== 'status500') throw new Error('stand-in: only a 500 is saved by Stripe');
      for (let i = 0; i < count; i++) {
        failures.push({ failure, afterWork: failOptions.afterWork ?? false, saved: failOptions.saved ?? false });
      }
    },
    intent(id, expand = []) {
      const pi = intents.get(id);
      if (!pi) throw new Error(`stand-in: no such payment_intent ${id}`);
      return intentJson(pi, expand);
    },
    customer: (id) => {
      const c = customers.get(id);
      return c && customerJson(c);
    },
    get customerCount() {
      return customers.size;
    },
    event,
    sign: (payload, secret = STAND_IN_KEYS.webhookSecret, signOptions = {}) =>
      Stripe.webhooks.generateTestHeaderString({ payload, secret, ...signOptions }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Our Stripe adapter pointed at the stand-in, its customers kept in `db` as the app keeps them. */
export function standInProvider(
  standIn: StripeStandIn,
  db: Db,
  options: { timeoutMs?: number; webhookSecret?: string; secretKey?: string } = {},
): PaymentProvider {
  return createStripeProvider({
    secretKey: options.secretKey ?? STAND_IN_KEYS.secretKey,
    webhookSecret: options.webhookSecret ?? STAND_IN_KEYS.webhookSecret,
    publishableKey: STAND_IN_KEYS.publishableKey,
    api: { host: standIn.host, port: standIn.port, protocol: 'http' },
    customers: {
      find: (userId) => findProviderCustomer(db, userId, 'stripe'),
      save: (userId, ref) => saveProviderCustomer(db, userId, 'stripe', ref),
    },
    timeoutMs: options.timeoutMs,
  });
}

/** The PaymentIntent a client secret belongs to, as Stripe.js reads it. */
export const intentOfClientSecret = (clientSecret: string) => clientSecret.split('_secret_')[0]!;
