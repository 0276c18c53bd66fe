import type { z } from 'zod';
import {
  fillPath,
  type BodyIn,
  type Endpoint,
  type ParamsIn,
  type QueryIn,
  type ResponseOf,
} from '../../shared/contract';

/** The HTTP client: same-origin cookies, JSON in and out, problem+json errors as `ApiError`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
    readonly reason?: string,
    /** A refused card's decline code (PAYMENT_DECLINED). */
    readonly declineCode?: string,
    /** What can still be refunded (REFUND_EXCEEDS_CAPTURE), in minor units. */
    readonly refundableCents?: number,
  ) {
    super(message);
  }
  /** The message for one form field (`body.vehicle.vin` → "vehicle.vin"). */
  field(name: string): string | undefined {
    return this.fields.find((f) => f.path === `body.${name}` || f.path === name)?.message;
  }
}

/** An object with nothing required in it. */
type Nothing = Record<never, never>;

/** A part of the request: required when the endpoint needs it, optional when all of it is, absent without a schema. */
type Slot<K extends string, S, T> = S extends z.ZodType
  ? Nothing extends T
    ? { [P in K]?: T }
    : undefined extends T
      ? { [P in K]?: T }
      : { [P in K]: T }
  : { [P in K]?: never };

/** What a call of `E` sends: path parameters, query string, body (FormData for uploads), extra headers. */
export type CallInput<E extends Endpoint> = Slot<'params', E['params'], ParamsIn<E>> &
  Slot<'query', E['query'], QueryIn<E>> &
  (E['multipart'] extends true ? { body: FormData } : Slot<'body', E['body'], BodyIn<E>>) & {
    headers?: Record<string, string>;
  };

/** The arguments after the endpoint: the input may be left out when nothing in it is required. */
export type CallArgs<E extends Endpoint> =
  Nothing extends CallInput<E> ? [input?: CallInput<E>] : [input: CallInput<E>];

/** The endpoint's URL with its path parameters and query string filled in. */
export function urlOf<E extends Endpoint>(endpoint: E, input?: CallInput<E>): string {
  const path = fillPath(endpoint.path, Object.fromEntries(Object.entries(input?.params ?? {})));
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(input?.query ?? {})) {
    if (value !== undefined && value !== null) query.set(name, String(value));
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * Calls one endpoint of the contract. The answer is the endpoint's success type: the server
 * validates its own answers against the same schema before sending them.
 */
export function call<E extends Endpoint>(endpoint: E, ...[input]: CallArgs<E>): Promise<ResponseOf<E>> {
  return request(endpoint, input);
}

/** `call` for code that already holds the input (hooks): the same request, the input's parts not re-checked. */
export async function request<E extends Endpoint>(
  endpoint: E,
  input: CallInput<E> | undefined,
): Promise<ResponseOf<E>> {
  const body: unknown = input?.body;
  const json = body !== undefined && !(body instanceof FormData);
  let response: Response;
  try {
    response = await fetch(urlOf(endpoint, input), {
      method: endpoint.method,
      credentials: 'same-origin',
      headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...input?.headers },
      body: body instanceof FormData ? body : json ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach AutoDoctor. Check your connection and try again.');
  }
  const text = await response.text();
  const data = text ? safeJson(text) : null;
  if (!response.ok) {
    const problem = problemOf(data);
    throw new ApiError(
      response.status,
      problem.code ?? `HTTP_${response.status}`,
      problem.detail ?? problem.message ?? `Request failed (${response.status})`,
      problem.fields,
      problem.reason,
      problem.declineCode,
      problem.refundableCents,
    );
  }
  // The one unchecked step: the browser carries no schemas (vite.config.ts); the server checked this answer.
  return data as ResponseOf<E>;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The members of a problem document (or the auth library's `{ code, message }`) that are there. */
function problemOf(data: unknown): {
  code?: string;
  detail?: string;
  message?: string;
  reason?: string;
  declineCode?: string;
  refundableCents?: number;
  fields: { path: string; message: string }[];
} {
  if (typeof data !== 'object' || data === null) return { fields: [] };
  const text = (name: string): string | undefined => {
    const value: unknown = Reflect.get(data, name);
    return typeof value === 'string' ? value : undefined;
  };
  const refundable: unknown = Reflect.get(data, 'refundableCents');
  const errors: unknown = Reflect.get(data, 'errors');
  return {
    code: text('code'),
    detail: text('detail'),
    message: text('message'),
    reason: text('reason'),
    declineCode: text('declineCode'),
    refundableCents: typeof refundable === 'number' && Number.isInteger(refundable) ? refundable : undefined,
    fields: Array.isArray(errors) ? errors.filter(isFieldError) : [],
  };
}

function isFieldError(value: unknown): value is { path: string; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'path') === 'string' &&
    typeof Reflect.get(value, 'message') === 'string'
  );
}
