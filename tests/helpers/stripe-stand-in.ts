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
 *   POST /v1/refunds                            POST /v1/transfers
 *
 * and, for the tests, what Stripe does by itself: the browser confirming a card, a hold expiring,
 * a bank refusing a saved card, a Connect account onboarded, a cardholder's dispute and its
 * outcome — each as the event Stripe would send, signed as Stripe signs it.
 *
 * What it follows, and where from:
 * - Object shapes. stripe/openapi (fetched at HEAD f6c2a48f, "Update OpenAPI specification"):
 *   openapi/spec3.json itself is over the snapshot's 4 MiB limit, so the field lists come from
 *   `openapi/fixtures3.json` → `resources.payment_intent`, `.customer`, `.charge`,
 *   `.payment_method`, `.event`, `.refund`, `.transfer`, `.dispute` (example objects of the
 *   current API version), cross-checked with the SDK's own generated types (node_modules/stripe,
 *   "File generated from our OpenAPI spec", OPENAPI_VERSION v2596, API version
 *   2026-10-28.endive): `PaymentIntent`, `Customer`, `Charge`, `PaymentMethod`, `EventBase`,
 *   `Refund` (with `Refund.DestinationDetails.Card`), `Transfer`, `Dispute` (`Evidence`,
 *   `EvidenceDetails`, `PaymentMethodDetails.Card`, the `Status` enum), `ChargeDisputeCreatedEvent`
 *   / `ChargeDisputeClosedEvent` (data.object is the Dispute), and the request types
 *   `PaymentIntentCreateParams` (`confirm`, `off_session`, `payment_method`, `return_url`),
 *   `RefundCreateParams`, `TransferCreateParams`. Error codes are from the API's code enum as the
 *   SDK types it (`PaymentIntent.LastPaymentError.Code`: `authentication_required`,
 *   `card_declined`, `charge_already_refunded`, `amount_too_large`, `resource_missing`, …). From
 *   the stored copy of `openapi/spec3.json` (an older version, read in part):
 *   `components.schemas.payment_intent` (status enum, `last_payment_error` → `api_errors`,
 *   `payment_method` string-or-expanded, `x-expandableFields`),
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
 * - Charging a saved card off-session (docs.stripe.com/payments/save-and-reuse, "Save a
 *   customer's payment method without making a payment", its step "Charge the payment method
 *   later", read in a stored copy of the page):
 *   `customer` + `payment_method` + `off_session=true` + `confirm=true` charges at once; "When a
 *   payment attempt fails, the request also fails with a 402 HTTP status code and the status of
 *   the PaymentIntent is requires_payment_method", the error carrying the PaymentIntent ("Error
 *   code will be authentication_required if authentication is needed"). Its example sends a
 *   `return_url` with automatic payment methods on; without one (and without
 *   `automatic_payment_methods[allow_redirects]=never`) Stripe refuses the confirmation with "A
 *   `return_url` must be specified because this Payment Intent is configured to automatically
 *   accept the payment methods enabled in the Dashboard…" (quoted in aschmelyun/
 *   laravel-vue-stripe-cashier#4; saved cards hit it too: opencollective/
 *   opencollective-frontend#12346). The 402 is the endpoint's own answer, saved under the key.
 *   Which card refuses what: stripe-samples/charging-a-saved-card (server/node/server.js,
 *   client/index.html) — `pm_card_authenticationRequired` fails off-session with
 *   `authentication_required`, `err.raw.payment_method` and `err.raw.payment_intent` set;
 *   stripe-archive/stripe-payments-demo#43 for the message "Your card was declined. This
 *   transaction requires authentication." and the intent left requires_payment_method;
 *   docs.stripe.com/testing (stored copy): 4000 0027 6000 3184 "Always authenticate" (on all
 *   transactions, however the card was set up), the decline codes of `card_declined`, and
 *   `pm_card_chargeCustomerFail`, which attaches but never charges (`issuerDeclines` below).
 *   A PaymentMethod used again must be attached to that same customer ("If the payment method
 *   is attached to a Customer, you must also provide the ID of that Customer",
 *   PaymentIntentCreateParams).
 * - Refunds (RefundResource.create in the SDK): "You can optionally refund only part of a charge.
 *   You can do so multiple times, until the entire charge has been refunded. Once entirely
 *   refunded, a charge can't be refunded again. This method will raise an error when called on an
 *   already-refunded charge, or when trying to refund more money than is left on a charge" →
 *   400 `charge_already_refunded` / `amount_too_large`; the charge's `amount_refunded` and
 *   `refunded` follow; `refund.created` and `charge.refunded` are sent. Test-mode card refunds
 *   "succeed immediately and don't change status after that" (docs.stripe.com/testing).
 * - Transfers (TransferResource.create: "To send funds from your Stripe account to a connected
 *   account, you create a new transfer object"): `destination` must be a connected account of
 *   ours; `transfer.created` is sent.
 * - Disputes: `charge.dispute.created` with `needs_response` (a chargeback: the funds are
 *   withdrawn, `charge.dispute.funds_withdrawn`) or `warning_needs_response` (an inquiry: nothing
 *   taken yet, `is_charge_refundable`); `charge.dispute.closed` with `won` (funds reinstated),
 *   `lost`, or for an inquiry `warning_closed` (Dispute.Status, Dispute.PaymentMethodDetails.Card
 *   `case_type`; docs.stripe.com/testing: winning_evidence / losing_evidence close as won / lost).
 *
 * Not in the description, so modelled on Stripe's observed behaviour and worth re-checking: the
 * remainder released by a partial capture shown as `amount_refunded` on the charge (as cancel
 * is), while a refund may take back at most `amount_captured` minus earlier refunds; the exact
 * wording of error messages other than the idempotency-parameters one, the return_url one and
 * the authentication one; the "same endpoint" idempotency error; `invalid_request_error` as the
 * type of 401s; an unknown transfer destination as 400 `resource_missing` "No such destination:
 * 'acct_…'" (the message as a developer's notes record it, the code as Stripe's other "No such"
 * errors carry it); a refund of an intent with no captured charge as a code-less 400; the
 * return_url refusal also when `automatic_payment_methods` is left to its default rather than
 * sent (neilberkman/paper_tiger#106 enforces only the explicit case).
 *
 * Deliberate simplifications: one account, test mode only; no 3-D Secure / `requires_action`
 * (the browser's `confirm` stands for a completed challenge, and a server-side confirmation must
 * be off-session); refunds by `payment_intent` only, always `succeeded` at once (no pending or
 * failed refunds); no balances (charges never pending, transfers never `balance_insufficient`),
 * no transfer reversals; disputes only through the test controls, with no evidence and empty
 * `balance_transactions`; no lists, no rate limits. Injected faults (`failNext`) happen in front
 * of the API, so nothing is saved under the key (as with a load balancer's 5xx or a network
 * fault) unless `afterWork` says the work was done and only the answer was lost, or `saved` says
 * Stripe's API itself failed with a 500 once the endpoint had begun — which Stripe saves under
 * the key and replays to every retry with that key.
 */

export const STAND_IN_KEYS = {
  secretKey: 'sk_test_standin',
  webhookSecret: 'whsec_test_standin',
  publishableKey: 'pk_test_standin',
} as const;

/** The API version the SDK pins (and sends as `Stripe-Version`); events carry it. */
export const STAND_IN_API_VERSION = '2026-10-28.endive';

/** Stripe's test payment methods the browser's Payment Element would send. */
export type TestCard =
  | 'pm_card_visa'
  | 'pm_card_chargeDeclined'
  | 'pm_card_chargeDeclinedInsufficientFunds'
  | 'pm_card_authenticationRequired';

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

type Decline = { code: string; declineCode: string; message: string };

const CARDS: Record<
  TestCard,
  {
    brand: string;
    last4: string;
    fingerprint: string;
    /** Declined whenever it is charged (these cards cannot be saved: docs.stripe.com/testing). */
    decline: null | { code: string; message: string };
    /** Declined when charged off-session, once saved (the Payment Element authenticated the first payment). */
    offSession: null | Decline;
  }
> = {
  pm_card_visa: { brand: 'visa', last4: '4242', fingerprint: 'Xt5EWLLDS7FJjR1c', decline: null, offSession: null },
  pm_card_chargeDeclined: {
    brand: 'visa',
    last4: '0002',
    fingerprint: 'f1Hq2ZpBbJmkB7Yt',
    decline: { code: 'generic_decline', message: 'Your card was declined.' },
    offSession: null,
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa',
    last4: '9995',
    fingerprint: 'wP6sQrLh4cTm9yDx',
    decline: { code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
    offSession: null,
  },
  // 4000 0027 6000 3184, "Always authenticate": authentication on every transaction, however the
  // card was set up — so every off-session charge fails with authentication_required.
  pm_card_authenticationRequired: {
    brand: 'visa',
    last4: '3184',
    fingerprint: 'Hd3kQw8LmZp2Vr7s',
    decline: null,
    offSession: {
      code: 'authentication_required',
      declineCode: 'authentication_required',
      message: 'Your card was declined. This transaction requires authentication.',
    },
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

type MethodState = {
  id: string;
  created: number;
  card: TestCard;
  customer: string | null;
  /** The issuer refuses it from now on (`issuerDeclines`), whatever the test card. */
  issuerDecline: Decline | null;
};

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
  failure: Decline | null;
  disputed: boolean;
};

type RefundState = {
  id: string;
  created: number;
  amount: number;
  currency: string;
  charge: string;
  paymentIntent: string;
  reason: string | null;
  metadata: Record<string, string>;
};

type TransferState = {
  id: string;
  created: number;
  amount: number;
  currency: string;
  destination: string;
  description: string | null;
  metadata: Record<string, string>;
  transferGroup: string | null;
};

type DisputeStatus = 'needs_response' | 'warning_needs_response' | 'won' | 'lost' | 'warning_closed';

type DisputeState = {
  id: string;
  created: number;
  amount: number;
  currency: string;
  charge: string;
  paymentIntent: string;
  reason: string;
  status: DisputeStatus;
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
  /** An event as Stripe delivers it: the JSON bytes and their `Stripe-Signature`. */
  signed(event: StripeEvent, options?: { secret?: string; timestamp?: number }): { payload: string; signature: string };
  /**
   * The issuer declines this saved card from now on (card_declined with `declineCode`): what
   * Stripe's "decline after attaching" card (pm_card_chargeCustomerFail) does to every charge, here
   * switched on for a card that has already authorised a hold, which no single test card does.
   */
  issuerDeclines(paymentMethodId: string, declineCode?: string): void;
  /** A Connect account a mechanic finished onboarding for (`acct_…`), a valid transfer destination. */
  connectAccount(): string;
  /** A refund or a transfer as the API would answer it now. */
  refund(id: string): Json;
  transfer(id: string): Json;
  /**
   * The cardholder disputes the intent's charge: `charge.dispute.created` (status `needs_response`,
   * or `warning_needs_response` for an inquiry), as Stripe would send it. The amount is what is left
   * of the charge unless given.
   */
  openDispute(intentId: string, options?: { reason?: string; amount?: number; inquiry?: boolean }): StripeEvent;
  /** The dispute decided: `charge.dispute.closed` with status `won`, `lost` or (an inquiry) `warning_closed`. */
  closeDispute(disputeId: string, status: 'won' | 'lost' | 'warning_closed'): StripeEvent;
  close(): Promise<void>;
};

export async function startStripeStandIn(options: { secretKey?: string } = {}): Promise<StripeStandIn> {
  const secretKey = options.secretKey ?? STAND_IN_KEYS.secretKey;
  const customers = new Map<string, CustomerState>();
  const methods = new Map<string, MethodState>();
  const charges = new Map<string, ChargeState>();
  const intents = new Map<string, IntentState>();
  const saved = new Map<string, Saved>();
  const refunds = new Map<string, RefundState>();
  const accounts = new Set<string>();
  const transfers = new Map<string, TransferState>();
  const disputes = new Map<string, DisputeState>();
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
      disputed: ch.disputed,
      failure_balance_transaction: null,
      failure_code: declined?.code ?? null,
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

  /** Any other object's event, as of now. */
  const emitObject = (
    type: string,
    object: Json,
    request: StripeEvent['request'] = { id: null, idempotency_key: null },
  ) => events.push(event(type, object, { request }));

  // Field for field as openapi/fixtures3.json → resources.refund and the SDK's `Refund`.
  function refundJson(r: RefundState): Json {
    const charge = charges.get(r.charge)!;
    return {
      id: r.id,
      object: 'refund',
      amount: r.amount,
      balance_transaction: `txn_${r.id.slice(3)}`,
      charge: r.charge,
      created: r.created,
      currency: r.currency,
      customer: charge.customer,
      customer_account: null,
      destination_details: { card: { type: 'refund' }, type: 'card' },
      metadata: { ...r.metadata },
      payment_intent: r.paymentIntent,
      payment_method: charge.paymentMethod,
      reason: r.reason,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    };
  }

  // resources.transfer and the SDK's `Transfer`.
  function transferJson(tr: TransferState): Json {
    return {
      id: tr.id,
      object: 'transfer',
      amount: tr.amount,
      amount_reversed: 0,
      balance_transaction: `txn_${tr.id.slice(3)}`,
      created: tr.created,
      currency: tr.currency,
      description: tr.description,
      destination: tr.destination,
      destination_payment: `py_${tr.id.slice(3)}`,
      livemode: false,
      metadata: { ...tr.metadata },
      reversals: { object: 'list', data: [], has_more: false, url: `/v1/transfers/${tr.id}/reversals` },
      reversed: false,
      source_transaction: null,
      source_type: 'card',
      transfer_group: tr.transferGroup,
    };
  }

  const EVIDENCE_FIELDS = [
    'access_activity_log',
    'billing_address',
    'cancellation_policy',
    'cancellation_policy_disclosure',
    'cancellation_rebuttal',
    'customer_communication',
    'customer_email_address',
    'customer_name',
    'customer_purchase_ip',
    'customer_signature',
    'duplicate_charge_documentation',
    'duplicate_charge_explanation',
    'duplicate_charge_id',
    'product_description',
    'receipt',
    'refund_policy',
    'refund_policy_disclosure',
    'refund_refusal_explanation',
    'service_date',
    'service_documentation',
    'shipping_address',
    'shipping_carrier',
    'shipping_date',
    'shipping_documentation',
    'shipping_tracking_number',
    'uncategorized_file',
    'uncategorized_text',
  ];

  // resources.dispute and the SDK's `Dispute`.
  function disputeJson(d: DisputeState): Json {
    const charge = charges.get(d.charge)!;
    const card = CARDS[charge.card];
    const inquiry = d.status.startsWith('warning_');
    return {
      id: d.id,
      object: 'dispute',
      amount: d.amount,
      balance_transactions: [],
      charge: d.charge,
      created: d.created,
      currency: d.currency,
      enhanced_eligibility_types: [],
      evidence: { ...Object.fromEntries(EVIDENCE_FIELDS.map((f) => [f, null])), enhanced_evidence: {} },
      evidence_details: {
        due_by: d.created + 21 * 86_400,
        enhanced_eligibility: {},
        has_evidence: false,
        past_due: false,
        submission_count: 0,
        submission_method: 'not_submitted',
      },
      intended_submission_method: null,
      // An inquiry has not taken the money yet; a chargeback has.
      is_charge_refundable: inquiry,
      livemode: false,
      metadata: {},
      payment_intent: d.paymentIntent,
      payment_method_details: {
        card: {
          brand: card.brand,
          case_type: inquiry ? 'inquiry' : 'chargeback',
          network: card.brand,
          network_reason_code: d.reason === 'fraudulent' ? '10.4' : '13.1',
        },
        type: 'card',
      },
      reason: d.reason,
      status: d.status,
    };
  }

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
      'payment_method',
      'confirm',
      'off_session',
      'return_url',
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
    const confirmNow = bool(params.confirm, 'confirm') ?? false;
    const offSession = params.off_session === undefined ? false : params.off_session;
    if (offSession !== false && offSession !== 'true' && offSession !== 'false') {
      if (!['one_off', 'recurring'].includes(String(offSession))) {
        throw invalid(`Invalid off_session: must be a boolean, one_off or recurring`, { param: 'off_session' });
      }
    }
    const isOffSession = offSession !== false && offSession !== 'false';
    // "This parameter can only be used with confirm=true" (off_session, return_url: the SDK's docs).
    if (isOffSession && !confirmNow) {
      throw invalid('off_session can only be used when confirming a PaymentIntent (confirm=true).', {
        param: 'off_session',
      });
    }
    const returnUrl = str(params, 'return_url');
    if (returnUrl !== undefined && !confirmNow) {
      throw invalid('return_url can only be used when confirming a PaymentIntent (confirm=true).', {
        param: 'return_url',
      });
    }
    const methodId = str(params, 'payment_method');
    const method = methodId === undefined ? undefined : methods.get(methodId);
    if (methodId !== undefined && !method) throw noSuch('PaymentMethod', methodId, 'payment_method', 400);
    const effectiveMethods = automaticPaymentMethods ?? (params.payment_method_types ? null : { enabled: true });
    if (confirmNow) {
      if (!method) {
        throw invalid(
          "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent, specify a payment method attached to the customer along with the customer ID.",
        );
      }
      if (!method.customer) {
        throw invalid(
          'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.',
          { param: 'payment_method' },
        );
      }
      // "If the payment method is attached to a Customer, you must also provide the ID of that
      // Customer as the customer parameter of this PaymentIntent" (PaymentIntentCreateParams).
      if (method.customer !== customer) {
        throw invalid(
          `The provided PaymentMethod ${method.id} belongs to Customer ${method.customer}; provide that Customer as the customer parameter to use it.`,
          { param: 'customer' },
        );
      }
      // Redirect-based methods are allowed unless automatic_payment_methods[allow_redirects]=never:
      // then Stripe needs somewhere to send the customer back to, card or not.
      if (effectiveMethods?.enabled && effectiveMethods.allow_redirects !== 'never' && returnUrl === undefined) {
        throw invalid(
          'A `return_url` must be specified because this Payment Intent is configured to automatically accept the payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.',
        );
      }
      if (!isOffSession) {
        throw invalid('stand-in: a server-side confirmation on-session (no off_session) is not modelled');
      }
    }
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
      automaticPaymentMethods: effectiveMethods,
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
    if (confirmNow) chargeOffSession(pi, method!, request);
    return { status: 200, body: intentJson(pi, expand) };
  };

  /**
   * A saved card charged with `off_session=true&confirm=true` ("Charge the payment method
   * later"): succeeded (or requires_capture with manual capture) — or, when the bank refuses, the
   * request fails with a 402 card_error and the PaymentIntent is left requires_payment_method,
   * the error carrying the PaymentIntent and the PaymentMethod. The 402 is the endpoint's own
   * answer, so it is saved under the idempotency key like any other.
   */
  function chargeOffSession(pi: IntentState, method: MethodState, request: StripeEvent['request']) {
    const decline = method.issuerDecline ?? CARDS[method.card].offSession;
    const charge: ChargeState = {
      id: `ch_3${randomId(23)}`,
      created: now(),
      amount: pi.amount,
      currency: pi.currency,
      customer: pi.customer,
      paymentIntent: pi.id,
      paymentMethod: method.id,
      card: method.card,
      status: decline ? 'failed' : 'succeeded',
      captured: false,
      amountCaptured: 0,
      amountRefunded: 0,
      failure: decline,
      disputed: false,
    };
    charges.set(charge.id, charge);
    pi.latestCharge = charge.id;
    if (decline) {
      const error = {
        type: 'card_error',
        code: decline.code,
        decline_code: decline.declineCode,
        message: decline.message,
        doc_url: docUrl(decline.code),
        charge: charge.id,
        payment_method: methodJson(method),
      };
      Object.assign(pi, { paymentMethod: null, lastPaymentError: error });
      emit('payment_intent.payment_failed', pi, request);
      throw new ApiError(402, { ...error, payment_intent: intentJson(pi) });
    }
    pi.paymentMethod = method.id;
    if (pi.captureMethod === 'manual') {
      Object.assign(pi, { status: 'requires_capture', amountCapturable: pi.amount });
      emit('payment_intent.amount_capturable_updated', pi, request);
    } else {
      Object.assign(charge, { captured: true, amountCaptured: pi.amount });
      Object.assign(pi, { status: 'succeeded', amountReceived: pi.amount });
      emit('payment_intent.succeeded', pi, request);
    }
  }

  const intentOr400 = (id: string, param: string) => {
    const pi = intents.get(id);
    if (!pi) throw noSuch('payment_intent', id, param, 400);
    return pi;
  };

  const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;

  /**
   * "You can optionally refund only part of a charge. You can do so multiple times, until the
   * entire charge has been refunded. Once entirely refunded, a charge can't be refunded again. This
   * method will raise an error when called on an already-refunded charge, or when trying to refund
   * more money than is left on a charge." (RefundResource.create in the SDK)
   */
  const createRefund: Handler = (params, _id, request) => {
    only(params, ['payment_intent', 'amount', 'reason', 'metadata', 'expand']);
    expandOf(params, []);
    const intentId = str(params, 'payment_intent');
    if (intentId === undefined) {
      throw invalid('One of the following params should be provided for this request: payment_intent or charge.');
    }
    const amount = int(params, 'amount');
    if (amount !== undefined && amount < 1) throw invalid('Invalid positive integer', { param: 'amount' });
    const reason = oneOf(params, 'reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const);
    const pi = intentOr400(intentId, 'payment_intent');
    const charge = pi.latestCharge ? charges.get(pi.latestCharge) : undefined;
    if (!charge || !charge.captured || charge.status !== 'succeeded') {
      throw new ApiError(400, {
        type: 'invalid_request_error',
        message: `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`,
        param: 'payment_intent',
      });
    }
    // What is left: what was captured minus what refunds gave back (a released remainder never was).
    const refundedSoFar = [...refunds.values()]
      .filter((r) => r.charge === charge.id)
      .reduce((sum, r) => sum + r.amount, 0);
    const left = charge.amountCaptured - refundedSoFar;
    if (left <= 0) {
      throw new ApiError(400, {
        type: 'invalid_request_error',
        code: 'charge_already_refunded',
        doc_url: docUrl('charge_already_refunded'),
        message: `Charge ${charge.id} has already been refunded.`,
        charge: charge.id,
      });
    }
    const wanted = amount ?? left;
    if (wanted > left) {
      throw new ApiError(400, {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        doc_url: docUrl('amount_too_large'),
        param: 'amount',
        message: `Refund amount (${dollars(wanted)}) is greater than unrefunded amount on charge (${dollars(left)})`,
        charge: charge.id,
      });
    }
    const refund: RefundState = {
      id: `re_3${randomId(23)}`,
      created: now(),
      amount: wanted,
      currency: charge.currency,
      charge: charge.id,
      paymentIntent: charge.paymentIntent,
      reason: reason ?? null,
      metadata: metadataOf(params),
    };
    refunds.set(refund.id, refund);
    charge.amountRefunded += wanted;
    emitObject('refund.created', refundJson(refund), request);
    emitObject('charge.refunded', chargeJson(charge), request);
    return { status: 200, body: refundJson(refund) };
  };

  /**
   * A Connect transfer "to send funds from your Stripe account to a connected account"
   * (TransferResource.create): `destination` is the connected account's id.
   */
  const createTransfer: Handler = (params, _id, request) => {
    only(params, ['amount', 'currency', 'destination', 'description', 'metadata', 'transfer_group', 'expand']);
    expandOf(params, []);
    const amount = int(params, 'amount');
    if (amount === undefined) throw missing('amount');
    if (amount < 1) throw invalid('Invalid positive integer', { param: 'amount' });
    const currency = str(params, 'currency');
    if (currency === undefined) throw missing('currency');
    if (!/^[a-z]{3}$/.test(currency)) throw invalid(`Invalid currency: ${currency}.`, { param: 'currency' });
    const destination = str(params, 'destination');
    if (destination === undefined) throw missing('destination');
    if (!accounts.has(destination)) {
      throw invalid(`No such destination: '${destination}'`, {
        code: 'resource_missing',
        param: 'destination',
        doc_url: docUrl('resource_missing'),
      });
    }
    const transfer: TransferState = {
      id: `tr_1${randomId(23)}`,
      created: now(),
      amount,
      currency,
      destination,
      description: str(params, 'description') ?? null,
      metadata: metadataOf(params),
      transferGroup: str(params, 'transfer_group') ?? null,
    };
    transfers.set(transfer.id, transfer);
    emitObject('transfer.created', transferJson(transfer), request);
    return { status: 200, body: transferJson(transfer) };
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
    { method: 'POST', pattern: /^\/v1\/refunds$/, handler: createRefund },
    { method: 'POST', pattern: /^\/v1\/transfers$/, handler: createTransfer },
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

  const sign = (
    payload: string,
    secret: string = STAND_IN_KEYS.webhookSecret,
    signOptions: { timestamp?: number } = {},
  ) => Stripe.webhooks.generateTestHeaderString({ payload, secret, ...signOptions });

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
    const method: MethodState = {
      id: `pm_1${randomId(23)}`,
      created,
      card: cardName,
      customer: null,
      issuerDecline: null,
    };
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
      disputed: false,
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
    sign,
    signed: (e, signOptions = {}) => {
      const payload = JSON.stringify(e, null, 2);
      return { payload, signature: sign(payload, signOptions.secret, { timestamp: signOptions.timestamp }) };
    },
    issuerDeclines(paymentMethodId, declineCode = 'generic_decline') {
      const method = methods.get(paymentMethodId);
      if (!method) throw new Error(`stand-in: no such payment_method ${paymentMethodId}`);
      method.issuerDecline = {
        code: 'card_declined',
        declineCode,
        message: declineCode === 'insufficient_funds' ? 'Your card has insufficient funds.' : 'Your card was declined.',
      };
    },
    connectAccount() {
      const id = `acct_1${randomId(15)}`;
      accounts.add(id);
      return id;
    },
    refund: (id) => {
      const r = refunds.get(id);
      if (!r) throw new Error(`stand-in: no such refund ${id}`);
      return refundJson(r);
    },
    transfer: (id) => {
      const tr = transfers.get(id);
      if (!tr) throw new Error(`stand-in: no such transfer ${id}`);
      return transferJson(tr);
    },
    openDispute(intentId, disputeOptions = {}) {
      const pi = intents.get(intentId);
      const charge = pi?.latestCharge ? charges.get(pi.latestCharge) : undefined;
      if (!pi || !charge || !charge.captured)
        throw new Error(`stand-in: ${intentId} has no captured charge to dispute`);
      const refunded = [...refunds.values()].filter((r) => r.charge === charge.id).reduce((n, r) => n + r.amount, 0);
      const dispute: DisputeState = {
        id: `dp_1${randomId(23)}`,
        created: now(),
        amount: disputeOptions.amount ?? charge.amountCaptured - refunded,
        currency: charge.currency,
        charge: charge.id,
        paymentIntent: pi.id,
        reason: disputeOptions.reason ?? (disputeOptions.inquiry ? 'general' : 'fraudulent'),
        status: disputeOptions.inquiry ? 'warning_needs_response' : 'needs_response',
      };
      disputes.set(dispute.id, dispute);
      charge.disputed = true;
      const created = event('charge.dispute.created', disputeJson(dispute));
      events.push(created);
      // A chargeback takes the money at once; an inquiry does not (yet).
      if (!disputeOptions.inquiry) emitObject('charge.dispute.funds_withdrawn', disputeJson(dispute));
      return created;
    },
    closeDispute(disputeId, status) {
      const dispute = disputes.get(disputeId);
      if (!dispute) throw new Error(`stand-in: no such dispute ${disputeId}`);
      const inquiry = dispute.status.startsWith('warning_');
      if (dispute.status !== 'needs_response' && dispute.status !== 'warning_needs_response') {
        throw new Error(`stand-in: dispute ${disputeId} is already ${dispute.status}`);
      }
      if (inquiry !== (status === 'warning_closed')) {
        throw new Error(`stand-in: ${inquiry ? 'an inquiry' : 'a chargeback'} does not close as ${status}`);
      }
      dispute.status = status;
      const closed = event('charge.dispute.closed', disputeJson(dispute));
      events.push(closed);
      if (status === 'won') emitObject('charge.dispute.funds_reinstated', disputeJson(dispute));
      return closed;
    },
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
