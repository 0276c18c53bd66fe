import { ApiError } from './api';

/*
 * How a form says what is wrong: the one place where a field problem (found by the form before
 * sending, or in the server's `errors[]`) and a refused request (its `code`) become a sentence for
 * the person filling the form. The server keeps its codes and its developer-facing phrases
 * ("Too small: expected string to have >=10 characters", "The body is not valid"); none of those
 * reach the page: a phrase this module does not recognise gets the field's own fallback, a code it
 * does not know a general sentence. The forms' words are in form-words.ts.
 */

/** What is wrong with a field, whoever found it. */
export type ProblemKind =
  | 'required'
  | 'tooShort'
  | 'tooLong'
  /** Not the right shape: an email address, digits, a URL. */
  | 'format'
  /** A number outside what is allowed. */
  | 'range'
  /** A repeated entry (a password typed twice) that is not the same. */
  | 'mismatch'
  /** A new value the same as the old one. */
  | 'unchanged'
  /** One of the most common passwords. */
  | 'common'
  /** Typed but not added (a trouble code still in its box). */
  | 'unsent'
  /** A VIN's problems (shared/vin.ts). */
  | 'length'
  | 'characters'
  | 'check_digit';

/** A server phrase only it can know (a name taken, an address refused), by a piece of it, and what to say instead. */
export type Said = readonly [RegExp, string | ((phrase: string) => string)];

/** What the form checks before sending: the contract's rules, said again (the server has the last word). */
export type Rules = {
  required?: boolean;
  /** Characters, after trimming. */
  min?: number;
  max?: number;
  email?: boolean;
  /** The trimmed text, when there is some, must match (else `format`). */
  pattern?: RegExp;
  /** A whole number between these (else `format`, or `range`). */
  whole?: { min: number; max: number };
  /** Anything else, on the text as typed. */
  test?: (value: string) => ProblemKind | null;
};

/** One field's sentences: one per kind of problem it can have, and one for anything else. */
export type FieldSpec = Partial<Record<ProblemKind, string>> & {
  otherwise: string;
  said?: readonly Said[];
  rules?: Rules;
};

/** A field of a form or a general problem, said in the form's own words. */
export type CodeWords<F extends string> = string | { field: F; message: string };

export type FormSpec<F extends string = string> = {
  /** In the order the fields appear on the page (the summary lists them so). `*` stands for a list index. */
  fields: Record<F, FieldSpec>;
  /** The server's paths (without `body.`) that this form shows under another field: `expMonth` → `expiry`. */
  aliases?: Partial<Record<string, NoInfer<F>>>;
  /** Codes this form says in its own words, as a general problem or under one of its fields. */
  codes?: Partial<Record<string, CodeWords<NoInfer<F>>>>;
};

export const defineForm = <F extends string>(spec: FormSpec<F>): FormSpec<F> => spec;

/** Said when nothing more precise is known. */
export const SOMETHING_WENT_WRONG = 'Something went wrong. Please try again.';

/** What each of the server's codes (api.md, and the auth library's) means for the person at the form. */
export const CODE_SENTENCES: Record<string, string> = {
  NETWORK: 'Cannot reach AutoDoctor. Check your connection and try again.',
  VALIDATION_FAILED: 'Something in the form could not be accepted. Check what you typed and try again.',
  UNAUTHENTICATED: 'You have been signed out. Sign in again, then try once more.',
  FORBIDDEN: 'Your account is not allowed to do this.',
  NOT_ELIGIBLE: 'Your account cannot do this right now.',
  NOT_FOUND: 'We could not find this any more: it may have been removed. Reload the page.',
  INVALID_TRANSITION: 'This has changed in the meantime. Reload the page to see where things stand.',
  ALREADY_TAKEN: 'Someone else got there first.',
  ACTIVE_SESSION_EXISTS: 'You already have an open session.',
  SESSION_CLOSED: 'This session has ended, so this can no longer be done.',
  FREE_PLAN_USED: 'You have used your free question. Please pick another plan.',
  MECHANIC_IN_SESSION: 'The mechanic is in a session right now. Try again once it has ended.',
  IDEMPOTENCY_MISMATCH: 'This was already sent with other details. Reload the page before trying again.',
  PAYMENT_REQUIRED: 'This plan needs a payment first.',
  PAYMENT_DECLINED: 'Your bank declined the card. Try another card, or call your bank.',
  REFUND_EXCEEDS_CAPTURE: 'That is more than can still be refunded.',
  PAYLOAD_TOO_LARGE: 'That is too large to send. Make it shorter or smaller.',
  UNSUPPORTED_MEDIA_TYPE: 'That kind of file cannot be sent.',
  RATE_LIMITED: 'Too many attempts. Wait a minute and try again.',
  INTERNAL: 'Something went wrong on our side. Please try again in a moment.',
  SERVICE_UNAVAILABLE: 'AutoDoctor is briefly unavailable. Please try again in a moment.',
  // The auth library's own codes.
  INVALID_EMAIL_OR_PASSWORD: 'That email and password do not match.',
  INVALID_PASSWORD: 'That is not your current password.',
  INVALID_TOKEN: 'This link has expired or was already used. Ask for a new one.',
};

/** A status without a code we know (the auth library's rate limiter, a proxy's 502): the code it stands for. */
function codeOfStatus(status: number): string {
  if (status === 0) return 'NETWORK';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503) return 'SERVICE_UNAVAILABLE';
  if (status >= 500) return 'INTERNAL';
  return 'UNKNOWN';
}

/** The error's code, or for a code nobody here knows, the one its status stands for. */
export function codeOf(error: ApiError, known: Partial<Record<string, unknown>> = {}): string {
  return error.code in CODE_SENTENCES || error.code in known ? error.code : codeOfStatus(error.status);
}

/** A refused request that is not about one field, in a sentence. */
export function problemSentence(caught: unknown, codes: Partial<Record<string, CodeWords<string>>> = {}): string {
  if (!(caught instanceof ApiError)) return SOMETHING_WENT_WRONG;
  const code = codeOf(caught, codes);
  const own = codes[code];
  if (typeof own === 'string') return own;
  if (own) return own.message;
  return CODE_SENTENCES[code] ?? SOMETHING_WENT_WRONG;
}

/**
 * A page, or a part of one, that could not be loaded: the page's own words when a code means
 * something particular there (a 404 on an inspector: "There is no session with this id."), else
 * what was not loaded (`lead`, a sentence) and the code's sentence. Never the server's detail.
 */
export function loadSentence(lead: string, caught: unknown, codes: Partial<Record<string, string>> = {}): string {
  const own = caught instanceof ApiError ? codes[codeOf(caught, codes)] : undefined;
  return own ?? `${lead} ${problemSentence(caught)}`;
}

/**
 * The kind of problem a server phrase describes: the contract's own phrases ("is required", "must
 * be at least 8 characters") and zod's defaults ("Too small: expected string to have >=10
 * characters", "Invalid input: expected number, received undefined").
 */
const KIND_OF_PHRASE: readonly (readonly [RegExp, ProblemKind])[] = [
  [/most common passwords?/i, 'common'],
  [/must not be blank|only spaces/i, 'format'],
  [/^(is )?required\b|cannot be empty|received (undefined|null)|to have >=1 (characters|items)/i, 'required'],
  [/^Too small: expected string|at least \d+ characters/i, 'tooShort'],
  [/^Too big: expected (string|array)|at most [\d,]+ (characters|items)|has too many/i, 'tooLong'],
  [/^Too (small|big)|between|cannot be negative|must be at (least|most) [\d,]+$/i, 'range'],
  [/^Invalid|is not an email|must be a UUID|digits|is a number|whole number|expected/i, 'format'],
];

export function kindOfPhrase(phrase: string): ProblemKind | null {
  // zod's word for a refinement without a message says nothing about the kind.
  if (/^Invalid input$/i.test(phrase.trim())) return null;
  return KIND_OF_PHRASE.find(([pattern]) => pattern.test(phrase))?.[1] ?? null;
}

/** The sentence for a field's problem of this kind. */
export function sentenceFor(field: FieldSpec, kind: ProblemKind): string {
  return field[kind] ?? field.otherwise;
}

/** What the server said about one field, in the field's own words. */
export function serverSentence(field: FieldSpec, phrase: string): string {
  const said = field.said?.find(([pattern]) => pattern.test(phrase));
  if (said) return typeof said[1] === 'string' ? said[1] : said[1](phrase);
  const kind = kindOfPhrase(phrase);
  return kind ? sentenceFor(field, kind) : field.otherwise;
}

/** `recommendations.2.title` → `recommendations.*.title`. */
const wildcard = (path: string) => path.replace(/(^|\.)\d+(?=\.|$)/g, '$1*');

/** The spec of a path, as given or with its list indexes as `*`. */
export function fieldOf<F extends string>(spec: FormSpec<F>, path: string): FieldSpec | undefined {
  const fields: Partial<Record<string, FieldSpec>> = spec.fields;
  return fields[path] ?? fields[wildcard(path)];
}

/**
 * Where a server path is shown: itself, an alias, or the nearest enclosing field the form has
 * (`brands.3` → `brands`); null when the form shows no such field.
 */
export function placeOf<F extends string>(spec: FormSpec<F>, serverPath: string, under = ''): string | null {
  let path = `${under}${serverPath.replace(/^(body|query)\./, '')}`;
  for (;;) {
    const alias = spec.aliases?.[path];
    if (alias) return alias;
    if (fieldOf(spec, path)) return path;
    const cut = path.lastIndexOf('.');
    if (cut < 0) return null;
    path = path.slice(0, cut);
  }
}

export type ServerProblems = {
  /** Field path → sentence. */
  fields: Record<string, string>;
  /** What is not about one field (or about one this form does not show). */
  problem: string | null;
  /** The code, for a form that adds to the sentence (a link to the open session). */
  code: string | null;
};

/**
 * A refused request, read for a form: each field problem under its field, in the field's words,
 * and everything else as one sentence. `under` prefixes the server's paths (the intake shows the
 * garage's `year` as its `vehicle.year`).
 */
export function readServerError<F extends string>(spec: FormSpec<F>, caught: unknown, under = ''): ServerProblems {
  if (caught === null || caught === undefined) return { fields: {}, problem: null, code: null };
  if (!(caught instanceof ApiError)) return { fields: {}, problem: SOMETHING_WENT_WRONG, code: null };
  const code = codeOf(caught, spec.codes);
  const own = spec.codes?.[code];
  if (own && typeof own !== 'string') return { fields: { [own.field]: own.message }, problem: null, code };
  if (own) return { fields: {}, problem: own, code };
  const fields: Record<string, string> = {};
  let unplaced = false;
  for (const { path, message } of caught.fields) {
    const place = placeOf(spec, path, under);
    const field = place === null ? undefined : fieldOf(spec, place);
    if (place === null || !field) unplaced = true;
    else fields[place] ??= serverSentence(field, message);
  }
  const hasFields = Object.keys(fields).length > 0;
  const problem =
    caught.code === 'VALIDATION_FAILED' && hasFields && !unplaced ? null : problemSentence(caught, spec.codes);
  return { fields, problem, code };
}

/** The same check as zod's `z.email()` (zod/v4/core regexes.email), so the form and the server agree. */
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** What the rules find wrong with one value (text as typed, a list, a flag), or null. */
export function checkValue(rules: Rules, value: unknown): ProblemKind | null {
  if (Array.isArray(value)) return rules.required && value.length === 0 ? 'required' : null;
  const raw = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  const text = raw.trim();
  if (!text) return rules.required ? 'required' : null;
  const found = rules.test?.(raw);
  if (found) return found;
  if (rules.email && !EMAIL.test(text)) return 'format';
  if (rules.min !== undefined && text.length < rules.min) return 'tooShort';
  if (rules.max !== undefined && text.length > rules.max) return 'tooLong';
  if (rules.pattern && !rules.pattern.test(text)) return 'format';
  if (rules.whole) {
    const number = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(number)) return 'format';
    if (number < rules.whole.min || number > rules.whole.max) return 'range';
  }
  return null;
}

/**
 * What the form finds wrong before sending: each field of `values` that the spec has rules for,
 * then `extra` (the form's own findings: a repeat that does not match) where the rules found nothing.
 */
export function checkForm<F extends string>(
  spec: FormSpec<F>,
  values: FormValues<F>,
  extra: FormValues<F, ProblemKind | null | undefined> = {},
): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [path, value] of Object.entries(values)) {
    const field = fieldOf(spec, path);
    const kind = field?.rules ? checkValue(field.rules, value) : null;
    if (field && kind) found[path] = sentenceFor(field, kind);
  }
  for (const [path, kind] of Object.entries(extra)) {
    const field = fieldOf(spec, path);
    if (field && kind && !found[path]) found[path] = sentenceFor(field, kind as ProblemKind);
  }
  return found;
}

/** Values by field path: the spec's, or a list entry's (`recommendations.2.title` for `recommendations.*.title`). */
export type FormValues<F extends string, V = unknown> = Partial<Record<F, V>> & Record<string, V>;
