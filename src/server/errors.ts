/**
 * The one error type of the server. Use cases throw `AppError(code)`; the HTTP layer turns it into
 * an RFC 9457 problem response using the single code → status map below.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_ELIGIBLE: 403,
  NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  ALREADY_TAKEN: 409,
  ACTIVE_SESSION_EXISTS: 409,
  SESSION_CLOSED: 409,
  FREE_PLAN_USED: 409,
  MECHANIC_IN_SESSION: 409,
  IDEMPOTENCY_MISMATCH: 422,
  PAYMENT_REQUIRED: 402,
  PAYMENT_DECLINED: 402,
  REFUND_EXCEEDS_CAPTURE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

const TITLES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'The request is not valid',
  UNAUTHENTICATED: 'Sign in first',
  FORBIDDEN: 'Not allowed',
  NOT_ELIGIBLE: 'Not eligible',
  NOT_FOUND: 'Not found',
  INVALID_TRANSITION: 'Not possible in the current state',
  ALREADY_TAKEN: 'Already taken by someone else',
  ACTIVE_SESSION_EXISTS: 'You already have an active session',
  SESSION_CLOSED: 'The session has ended',
  FREE_PLAN_USED: 'The free question has been used',
  MECHANIC_IN_SESSION: 'The mechanic is in a session',
  IDEMPOTENCY_MISMATCH: 'Idempotency key reused with a different request',
  PAYMENT_REQUIRED: 'Payment required',
  PAYMENT_DECLINED: 'The card was declined',
  REFUND_EXCEEDS_CAPTURE: 'The refund is more than was charged',
  PAYLOAD_TOO_LARGE: 'The request is too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  RATE_LIMITED: 'Too many requests',
  INTERNAL: 'Something went wrong on our side',
  SERVICE_UNAVAILABLE: 'Briefly unavailable',
};

export type FieldProblem = { path: string; message: string };

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldProblem[] | undefined;
  /** Extra members of the problem document, e.g. `reason` for NOT_ELIGIBLE. */
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    detail?: string,
    options: { errors?: FieldProblem[]; extra?: Record<string, unknown> } = {},
  ) {
    super(detail ?? TITLES[code]);
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.errors = options.errors;
    this.extra = options.extra;
  }
}

export type Problem = {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  errors?: FieldProblem[];
  [extra: string]: unknown;
};

export function toProblem(error: AppError): Problem {
  return {
    type: `https://autodoctor.dev/problems/${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[error.code],
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(error.errors ? { errors: error.errors } : {}),
    ...error.extra,
  };
}

/** PostgreSQL unique violations carry the constraint name; use cases map known ones to codes. */
export function uniqueViolation(error: unknown): string | undefined {
  const cause = findPgError(error);
  return cause?.code === '23505' ? (cause.constraint ?? cause.constraint_name ?? 'unknown') : undefined;
}

export function checkViolation(error: unknown): string | undefined {
  const cause = findPgError(error);
  return cause?.code === '23514' ? (cause.constraint ?? cause.constraint_name ?? 'unknown') : undefined;
}

/** The SQLSTATE of a database error (or of the driver error it wraps), if any. */
export function sqlState(error: unknown): string | undefined {
  return findPgError(error)?.code;
}

/**
 * The database connection went away under the request: the server restarted or failed over, or a
 * backend was terminated. The request failed but the process is fine, and a retry will reach a
 * fresh connection — a 503, not a 500.
 */
export function isConnectionError(error: unknown): boolean {
  const state = sqlState(error);
  if (state && (state.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(state))) return true;
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && NETWORK_CODES.has(candidate.code)) return true;
    if (typeof candidate.message === 'string' && CONNECTION_MESSAGES.test(candidate.message)) return true;
    current = candidate.cause;
  }
  return false;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const CONNECTION_MESSAGES =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable|Cannot use a pool after calling end/;

type PgErrorLike = {
  code?: string;
  constraint?: string;
  constraint_name?: string;
};

function findPgError(error: unknown): PgErrorLike | undefined {
  // Drizzle wraps driver errors in DrizzleQueryError with the original as `cause`.
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const candidate = current as PgErrorLike & { cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    current = candidate.cause;
  }
  return undefined;
}
