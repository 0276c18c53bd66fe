import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { SignUpFields } from '../../shared/accounts';
import { UpdateMechanicProfileBody } from '../../shared/contract/profiles';
import { CreateSessionBody, Vehicle } from '../../shared/contract/sessions';
import { ApiError } from './api';
import {
  checkValue,
  CODE_SENTENCES,
  kindOfPhrase,
  loadSentence,
  placeOf,
  problemSentence,
  readServerError,
  type FieldSpec,
  type FormSpec,
} from './form-errors';
import * as words from './form-words';
import { EXTEND_TIME_CODES, PROFILE_PHOTO_CODES, SHARE_LINK_CODES, WAITLIST_CODES } from './form-words';

/** What no one filling a form should read: the validator's and the server's developer text. */
const DEVELOPER_TEXT = /expected|Invalid input|body\.|\[|Too (small|big)|is not valid|received|undefined|UUID|\w+_\w+/;

function expectHuman(sentence: string | null | undefined, where: string) {
  expect(sentence, where).toBeTruthy();
  expect(sentence, where).not.toMatch(DEVELOPER_TEXT);
  expect(sentence, where).toMatch(/[.!?]$/);
}

/** The server's answer to a body that fails `schema`: the problem document `problems.ts` sends. */
function refusal(schema: z.ZodType, body: unknown): { error: ApiError; issues: z.core.$ZodIssue[] } {
  const result = schema.safeParse(body);
  if (result.success) throw new Error(`accepted: ${JSON.stringify(body)}`);
  const fields = result.error.issues.map((issue) => ({
    path: ['body', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return {
    error: new ApiError(400, 'VALIDATION_FAILED', 'The body is not valid', fields),
    issues: result.error.issues,
  };
}

/** Every sentence a field can say. */
const sentencesOf = (field: FieldSpec) =>
  Object.entries(field).flatMap(([key, value]) => (typeof value === 'string' && key !== 'rules' ? [value] : []));

const isForm = (value: unknown): value is FormSpec => typeof value === 'object' && value !== null && 'fields' in value;
const FORMS = Object.entries(words as Record<string, unknown>).flatMap(([name, value]) =>
  isForm(value) ? [[name, value] as const] : [],
);

/** Runs bodies through a schema and the form's reading of the refusal; returns the issue codes seen. */
function readAll(spec: FormSpec, schema: z.ZodType, bodies: unknown[], placed: (path: string) => boolean) {
  const codes = new Set<string>();
  for (const body of bodies) {
    const { error, issues } = refusal(schema, body);
    issues.forEach((issue) => codes.add(issue.code));
    const read = readServerError(spec, error);
    for (const [path, sentence] of Object.entries(read.fields))
      expectHuman(sentence, `${path} of ${JSON.stringify(body)}`);
    if (read.problem) expectHuman(read.problem, `problem of ${JSON.stringify(body)}`);
    for (const issue of issues) {
      const path = issue.path.join('.');
      if (placed(path)) expect(read.fields[placeOf(spec, path) ?? ''], `${path} placed`).toBeDefined();
    }
  }
  return codes;
}

describe('the forms’ words', () => {
  it('are sentences without developer text, for every field of every form', () => {
    expect(FORMS.length).toBeGreaterThan(15);
    for (const [name, spec] of FORMS) {
      for (const [path, field] of Object.entries(spec.fields)) {
        for (const sentence of sentencesOf(field)) expectHuman(sentence, `${name}.${path}`);
      }
      for (const [code, said] of Object.entries(spec.codes ?? {})) {
        expectHuman(typeof said === 'string' ? said : said?.message, `${name} ${code}`);
      }
    }
    for (const [code, sentence] of Object.entries(CODE_SENTENCES)) expectHuman(sentence, code);
    const refusals = { PROFILE_PHOTO_CODES, SHARE_LINK_CODES, WAITLIST_CODES, EXTEND_TIME_CODES };
    for (const [name, codes] of Object.entries(refusals)) {
      for (const [code, sentence] of Object.entries(codes)) expectHuman(sentence, `${name} ${code}`);
    }
  });
});

const VALID_VIN = '1HGCM82633A004352';
const WRONG_CHECK_DIGIT = '1HGCM82643A004352';

describe('reading the server’s refusals', () => {
  const vehicle = { year: 2016, make: 'Toyota', model: 'Corolla' };

  it('says every problem the intake’s contract can find in words, under its field', () => {
    const codes = readAll(
      words.INTAKE,
      CreateSessionBody,
      [
        {},
        { plan: '', concern: '', vehicle: {} },
        {
          plan: 'x'.repeat(41),
          concern: 'short',
          vehicle: { year: 1800, make: '', model: 'x'.repeat(81), mileage: -1 },
        },
        {
          plan: 'quick',
          concern: 'x'.repeat(4001),
          vehicle: { ...vehicle, year: 3000, mileage: 4_000_000, vin: 'ABC' },
        },
        {
          plan: 'quick',
          concern: '   too short   ',
          vehicle: { ...vehicle, year: 2016.5, mileage: 1.5, vin: 'I'.repeat(17) },
        },
        { plan: 'quick', concern: 'A grinding noise', vehicle: { ...vehicle, vin: WRONG_CHECK_DIGIT } },
        { plan: 'quick', concern: 'A grinding noise', vehicle: { ...vehicle, year: '2016', make: 5 } },
        { plan: 'quick', concern: 'A grinding noise', vehicleId: 'not-an-id', workshopId: 'nor-this' },
        { plan: 'quick', concern: 'A grinding noise', vehicle, vehicleId: '00000000-0000-4000-8000-000000000000' },
        { plan: 'quick', concern: 'A grinding noise', vehicle, troubleCodes: ['XYZ', 'P0301'] },
        {
          plan: 'quick',
          concern: 'A grinding noise',
          vehicle,
          troubleCodes: Array.from({ length: 11 }, (_, i) => `P030${i % 10}`),
        },
        { plan: 'quick', concern: 'A grinding noise', vehicle, urgent: 'yes', colour: 'red' },
      ],
      (path) => !['urgent', ''].includes(path),
    );
    expect([...codes].sort()).toEqual(
      ['custom', 'invalid_format', 'invalid_type', 'too_big', 'too_small', 'unrecognized_keys'].sort(),
    );
  });

  it('says every problem sign-up’s rules can find in words, under its field', () => {
    const codes = readAll(
      words.SIGN_UP,
      SignUpFields,
      [
        {},
        { name: '', email: '', password: '' },
        { name: 'x'.repeat(101), email: `${'a'.repeat(250)}@x.com`, password: 'x'.repeat(129) },
        { name: 'a\u0001b', email: 'no-at-sign', password: '        ' },
        { name: 'Casey', email: 'casey@example', password: 'password' },
        { name: 5, email: null, password: 12345678 },
      ],
      () => true,
    );
    expect([...codes].sort()).toEqual(['custom', 'invalid_format', 'invalid_type', 'too_big', 'too_small'].sort());
  });

  it('says every problem the mechanic profile’s contract can find in words, under its field', () => {
    const valid = { displayName: 'Jordan Brakes', yearsExperience: 14, brands: ['Toyota'], bio: '' };
    const codes = readAll(
      words.MECHANIC_PROFILE,
      UpdateMechanicProfileBody,
      [
        {},
        { ...valid, displayName: ' J ', yearsExperience: -3, brands: ['', 'x'.repeat(41)], bio: 'x'.repeat(2001) },
        { ...valid, displayName: 'x'.repeat(81), yearsExperience: 200 },
        { ...valid, yearsExperience: 1.5, brands: Array.from({ length: 31 }, (_, i) => `Make ${i}`) },
        { ...valid, yearsExperience: '14', brands: 'Toyota', displayName: null },
        { ...valid, colour: 'red' },
      ],
      (path) => path !== '',
    );
    expect([...codes].sort()).toEqual(['invalid_type', 'too_big', 'too_small', 'unrecognized_keys'].sort());
    const read = (body: object) =>
      readServerError(words.MECHANIC_PROFILE, refusal(UpdateMechanicProfileBody, { ...valid, ...body }).error).fields;
    expect(read({ yearsExperience: 200 })).toEqual({
      yearsExperience: 'Years of experience is a whole number between 0 and 80.',
    });
    expect(read({ yearsExperience: -3 })).toEqual({ yearsExperience: 'Years of experience must be between 0 and 80.' });
    expect(read({ brands: Array.from({ length: 31 }, (_, i) => `Make ${i}`) })).toEqual({
      brands: 'List at most 30 makes.',
    });
    expect(read({ brands: ['Toyota Honda Ford Nissan Subaru Mazda Kia Hyundai'] })).toEqual({
      brands: 'Each make must be at most 40 characters: separate makes with commas.',
    });
  });

  it('the intake says “Tell us what is happening — at least 10 characters” for an empty or short concern', () => {
    for (const concern of ['', 'short']) {
      const read = readServerError(words.INTAKE, refusal(CreateSessionBody, { plan: 'quick', vehicle, concern }).error);
      expect(read.fields.concern).toMatch(/what is happening — at least 10 characters\.$/);
      expect(read.problem).toBeNull();
    }
  });

  it('puts the garage’s paths under the intake’s vehicle, and keeps what only the server knows', () => {
    const taken = new ApiError(400, 'VALIDATION_FAILED', 'x', [
      { path: 'body.vin', message: 'is already in your garage' },
    ]);
    expect(readServerError(words.INTAKE, taken, 'vehicle.').fields).toEqual({
      'vehicle.vin': 'This VIN is already in your garage.',
    });
    const refused = new ApiError(400, 'VALIDATION_FAILED', 'The URL must…', [
      {
        path: 'body.url',
        message:
          'must lead to the public internet: localhost resolves to 127.0.0.1, a loopback address. Webhooks are never sent to private, loopback or link-local addresses',
      },
    ]);
    expect(readServerError(words.WEBHOOK, refused).fields.url).toMatch(
      /^The URL must lead to the public internet: .*addresses\.$/,
    );
  });

  it('shows a list entry’s problem under the list, and an expiry’s parts under the expiry', () => {
    const brand = new ApiError(400, 'VALIDATION_FAILED', 'x', [{ path: 'body.brands.3', message: 'Too big' }]);
    expect(Object.keys(readServerError(words.APPLY, brand).fields)).toEqual(['brands']);
    const expiry = new ApiError(400, 'VALIDATION_FAILED', 'x', [
      { path: 'body.expYear', message: 'Too small: expected number to be >=2000' },
    ]);
    expect(readServerError(words.CARD, expiry).fields).toEqual({ expiry: words.CARD.fields.expiry.otherwise });
    const rec = new ApiError(400, 'VALIDATION_FAILED', 'x', [
      { path: 'body.recommendations.2.estimatedCostMaxCents', message: 'the minimum cost must not exceed the maximum' },
    ]);
    expect(readServerError(words.REPORT, rec).fields).toEqual({
      'recommendations.2.estimatedCostMaxCents': 'The “to” cost must be at least the “from” cost.',
    });
  });
});

describe('refusals that are not about a field', () => {
  it('have a sentence for each code, by status when the code is unknown, and for a lost connection', () => {
    expect(problemSentence(new ApiError(429, 'RATE_LIMITED', 'Too many requests'))).toBe(CODE_SENTENCES.RATE_LIMITED);
    expect(problemSentence(new ApiError(429, 'HTTP_429', 'Too many requests. Please try again later.'))).toBe(
      CODE_SENTENCES.RATE_LIMITED,
    );
    expect(problemSentence(new ApiError(403, 'FORBIDDEN', 'Only customers can request a session'))).toBe(
      CODE_SENTENCES.FORBIDDEN,
    );
    expect(problemSentence(new ApiError(409, 'SESSION_CLOSED', 'The session has ended'))).toBe(
      CODE_SENTENCES.SESSION_CLOSED,
    );
    expect(problemSentence(new ApiError(0, 'NETWORK', 'x'))).toBe(CODE_SENTENCES.NETWORK);
    expect(problemSentence(new ApiError(502, 'HTTP_502', 'Bad gateway'))).toBe(CODE_SENTENCES.INTERNAL);
    expect(problemSentence(new TypeError('boom'))).toMatch(/^Something went wrong/);
    for (const code of ['VALIDATION_FAILED', 'NOT_FOUND', 'INVALID_TRANSITION', 'IDEMPOTENCY_MISMATCH']) {
      expectHuman(problemSentence(new ApiError(400, code, 'The body is not valid')), code);
    }
  });

  it('say why a page could not be loaded, in the page’s words where a code means something there', () => {
    const missing = new ApiError(404, 'NOT_FOUND', 'No session with this id (sessions live in one table: `sessions`)');
    const own = { NOT_FOUND: 'There is no session with this id.' };
    expect(loadSentence('The session could not be loaded.', missing, own)).toBe('There is no session with this id.');
    expect(loadSentence('The audit log could not be loaded.', missing)).toBe(
      `The audit log could not be loaded. ${CODE_SENTENCES.NOT_FOUND}`,
    );
    expect(loadSentence('The outbox could not be loaded.', new ApiError(503, 'HTTP_503', 'Service Unavailable'))).toBe(
      `The outbox could not be loaded. ${CODE_SENTENCES.SERVICE_UNAVAILABLE}`,
    );
    expect(loadSentence('The invariants could not be checked.', new ApiError(0, 'UNKNOWN', 'TypeError: x'))).toBe(
      `The invariants could not be checked. ${CODE_SENTENCES.NETWORK}`,
    );
    expectHuman(
      loadSentence('The search did not work.', new ApiError(400, 'VALIDATION_FAILED', 'The query is not valid')),
      'a refused search',
    );
  });

  it('say a refused photo in words: too large, not a photo, too many changes', () => {
    const photo = (status: number, code: string, detail: string) =>
      problemSentence(new ApiError(status, code, detail), PROFILE_PHOTO_CODES);
    expect(photo(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large')).toBe(
      'That photo is too large. Your photo must be at most 5 MB.',
    );
    expect(photo(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the photo as multipart/form-data')).toBe(
      'That file is not a photo we can use. Photos must be JPEG, PNG or WebP images.',
    );
    expect(photo(429, 'RATE_LIMITED', 'Too many photo changes: try again in 1234 seconds')).toMatch(
      /^You have changed your photo many times/,
    );
    // A proxy's own 413, without the server's code, is still too large.
    expect(photo(413, 'HTTP_413', 'Request Entity Too Large')).toBe(PROFILE_PHOTO_CODES.PAYLOAD_TOO_LARGE);
  });

  it('never passes the server’s detail on: “The body is not valid” with no field is a general sentence', () => {
    const read = readServerError(words.INTAKE, new ApiError(400, 'VALIDATION_FAILED', 'The body is not valid'));
    expect(read.problem).toBe(CODE_SENTENCES.VALIDATION_FAILED);
    expect(read.fields).toEqual({});
  });

  it('lets a form say a code in its own words, or under one of its fields', () => {
    const wrong = new ApiError(401, 'INVALID_EMAIL_OR_PASSWORD', 'Invalid email or password');
    expect(readServerError(words.SIGN_IN, wrong).problem).toBe('That email and password do not match.');
    const current = new ApiError(400, 'INVALID_PASSWORD', 'Invalid password');
    expect(readServerError(words.CHANGE_PASSWORD, current).fields).toEqual({
      currentPassword: 'That is not your current password.',
    });
  });
});

describe('the phrases the server uses', () => {
  it('are read as kinds of problem', () => {
    expect(kindOfPhrase('is required')).toBe('required');
    expect(kindOfPhrase('Invalid input: expected string, received undefined')).toBe('required');
    expect(kindOfPhrase('Too small: expected string to have >=1 characters')).toBe('required');
    expect(kindOfPhrase('Too small: expected string to have >=10 characters')).toBe('tooShort');
    expect(kindOfPhrase('must be at least 8 characters')).toBe('tooShort');
    expect(kindOfPhrase('Too big: expected string to have <=4000 characters')).toBe('tooLong');
    expect(kindOfPhrase('Too small: expected number to be >=1950')).toBe('range');
    expect(kindOfPhrase('Year must be between 1950 and next year (2027)')).toBe('range');
    expect(kindOfPhrase('Invalid email address')).toBe('format');
    expect(kindOfPhrase('is not an email address')).toBe('format');
    expect(kindOfPhrase('is one of the most common passwords: pick another')).toBe('common');
    expect(kindOfPhrase('Invalid input')).toBeNull();
  });
});

describe('the forms’ own checks agree with the contract', () => {
  /** For each value: the form finds a problem exactly when the schema refuses it. */
  function agree(field: FieldSpec, schema: z.ZodType, values: string[], asSent: (text: string) => unknown = (t) => t) {
    for (const value of values) {
      const formSays = checkValue(field.rules!, value) === null;
      const contractSays = schema.safeParse(asSent(value)).success;
      expect(formSays, JSON.stringify(value)).toBe(contractSays);
    }
  }
  const optional = (text: string) => (text.trim() ? text.trim() : undefined);

  it('on sign-up', () => {
    const { name, email, password } = SignUpFields.shape;
    agree(words.SIGN_UP.fields.name, name, ['', '  ', 'Casey', 'x'.repeat(100), 'x'.repeat(101), 'a\u0007b']);
    agree(words.SIGN_UP.fields.email, email, [
      '',
      'casey',
      'casey@example',
      'casey@example.com',
      ' casey@example.com ',
      `${'a'.repeat(250)}@x.com`,
      'a..b@example.com',
    ]);
    agree(words.SIGN_UP.fields.password, password, [
      'short',
      'a-long-password',
      'password',
      'x'.repeat(128),
      'x'.repeat(129),
    ]);
  });

  it('on the mechanic’s profile', () => {
    const { displayName, yearsExperience, brands, bio } = UpdateMechanicProfileBody.shape;
    const fields = words.MECHANIC_PROFILE.fields;
    agree(fields.displayName, displayName, ['', ' ', 'J', ' J ', 'Jo', 'x'.repeat(80), 'x'.repeat(81)]);
    agree(
      fields.yearsExperience,
      yearsExperience,
      ['', '0', '14', '80', '81', '200', '-1', '-3', '1.5', 'ten'],
      (text) => (text.trim() ? Number(text) : undefined),
    );
    const thirty = Array.from({ length: 30 }, (_, i) => `Make ${i}`).join(', ');
    agree(
      fields.brands,
      brands,
      ['', 'Toyota, Honda', 'Toyota,, Honda,', thirty, `${thirty}, Kia`, `Toyota, ${'x'.repeat(40)}`, 'x'.repeat(41)],
      words.brandsOf,
    );
    agree(fields.bio, bio, ['', '  ', 'x'.repeat(2000), ` ${'x'.repeat(2000)} `, 'x'.repeat(2001)]);
  });

  it('on the intake', () => {
    const { concern } = CreateSessionBody.shape;
    agree(words.INTAKE.fields.concern, concern, [
      '',
      'short',
      '   nine chr   ',
      'ten chars!',
      'x'.repeat(4000),
      'x'.repeat(4001),
    ]);
    const { year, make, model, vin, mileage } = Vehicle.shape;
    const number = (text: string) => (text.trim() ? Number(text) : undefined);
    agree(
      words.INTAKE.fields['vehicle.year'],
      year,
      ['1949', '1950', '2016', String(new Date().getFullYear() + 1)],
      number,
    );
    agree(words.INTAKE.fields['vehicle.make'], make, ['', ' ', 'Toyota', 'x'.repeat(60), 'x'.repeat(61)]);
    agree(words.INTAKE.fields['vehicle.model'], model, ['', 'Corolla', 'x'.repeat(80), 'x'.repeat(81)]);
    agree(
      words.INTAKE.fields['vehicle.vin'],
      vin.optional(),
      ['', VALID_VIN, WRONG_CHECK_DIGIT, 'ABC', 'I'.repeat(17)],
      optional,
    );
    agree(
      words.INTAKE.fields['vehicle.mileage'],
      mileage.optional(),
      ['', '0', '84000', '-1', '1.5', '3000001'],
      number,
    );
  });
});
