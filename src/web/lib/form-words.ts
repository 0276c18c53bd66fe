import { COMMON_PASSWORDS } from '../../shared/common-passwords';
import { PHOTO_MESSAGES } from '../../shared/photos';
import { PROFILE_LIMITS } from '../../shared/profile-limits';
import { MAX_TROUBLE_CODES, TROUBLE_CODE_MESSAGE } from '../../shared/trouble-codes';
import { VIN_MESSAGES, vinProblem } from '../../shared/vin';
import { parseCents } from './cents';
import { defineForm, type FieldSpec, type ProblemKind } from './form-errors';

/*
 * Every form's words: for each field, what it says for each kind of problem and for anything else,
 * and the rules the form checks before sending. The rules say the contract's limits again — the
 * browser carries no zod schemas (vite.config.ts) — and form-words.test.ts holds them to the
 * schemas, so the form and the server agree on what is wrong.
 */

export const MIN_VEHICLE_YEAR = 1950;
/** As the garage's contract: next year's models are sold from the summer before. */
export const latestVehicleYear = () => new Date().getFullYear() + 1;

const email = (required = 'Enter your email address.'): FieldSpec => ({
  rules: { required: true, email: true, max: 254 },
  required,
  format: 'Enter an email address like name@example.com.',
  tooLong: 'That email address is too long: 254 characters at most.',
  otherwise: 'Check the email address.',
});

/** shared/accounts.ts NewPassword, for the browser. */
export function newPasswordProblem(password: string): ProblemKind | null {
  if (password.length < 8) return 'tooShort';
  if (password.length > 128) return 'tooLong';
  if (!password.trim()) return 'format';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'common';
  return null;
}

const newPassword: FieldSpec = {
  rules: { required: true, test: newPasswordProblem },
  required: 'Choose a password of at least 8 characters.',
  tooShort: 'Choose a password of at least 8 characters.',
  tooLong: 'Choose a password of at most 128 characters.',
  format: 'A password cannot be only spaces.',
  common: 'That is one of the most common passwords: choose another.',
  otherwise: 'Choose another password: at least 8 characters, not a common one.',
};

const auditReason: FieldSpec = {
  rules: { required: true, max: 2000 },
  required: 'Give a reason: it is recorded in the audit log.',
  tooLong: 'Keep the reason under 2,000 characters.',
  otherwise: 'Give a reason (2,000 characters at most).',
};

// ——— Signing in and up ———

export const SIGN_IN = defineForm({
  fields: {
    email: email(),
    password: {
      rules: { required: true, max: 128 },
      required: 'Enter your password.',
      otherwise: 'Check the password.',
    },
  },
  codes: {
    INVALID_EMAIL_OR_PASSWORD: 'That email and password do not match.',
    UNAUTHENTICATED: 'That email and password do not match.',
  },
});

export const SIGN_UP = defineForm({
  fields: {
    name: {
      rules: { required: true, max: 100, test: (name) => (/[\u0000-\u001f\u007f]/.test(name) ? 'format' : null) },
      required: 'Enter your name.',
      tooLong: 'Your name must be at most 100 characters.',
      format: 'Use only letters, spaces and punctuation in your name.',
      otherwise: 'Check your name.',
    },
    email: email(),
    password: newPassword,
  },
});

/** "Toyota, Honda" → the makes a mechanic lists. */
export const brandsOf = (text: string) =>
  text
    .split(',')
    .map((brand) => brand.trim())
    .filter(Boolean);

export const APPLY = defineForm({
  fields: {
    displayName: {
      rules: { required: true, min: 2, max: 80 },
      required: 'Enter the name customers will see.',
      tooShort: 'The name customers see must be at least 2 characters.',
      tooLong: 'The name customers see must be at most 80 characters.',
      otherwise: 'Check the name customers see.',
    },
    workshopId: {
      rules: { required: true },
      required: 'Choose your workshop.',
      otherwise: 'Choose one of the workshops in the list.',
    },
    brands: {
      rules: {
        test: (text) => (brandsOf(text).length > 30 || brandsOf(text).some((b) => b.length > 40) ? 'tooLong' : null),
      },
      otherwise: 'List up to 30 makes, separated by commas, each under 40 characters.',
    },
    yearsExperience: {
      rules: { required: true, whole: { min: 0, max: 80 } },
      required: 'Enter your years of experience, for example 5.',
      format: 'Years of experience is a whole number, for example 5.',
      range: 'Years of experience must be between 0 and 80.',
      otherwise: 'Check your years of experience, for example 5.',
    },
    bio: {
      rules: { max: 2000 },
      tooLong: 'Keep “About you” under 2,000 characters.',
      otherwise: 'Check “About you” (2,000 characters at most).',
    },
  },
  codes: {
    FORBIDDEN:
      'This account cannot apply: it has applied already, or has booked sessions. Use a new account to work as a mechanic.',
  },
});

export const FORGOT_PASSWORD = defineForm({
  fields: { email: email('Enter the email address you signed up with, like name@example.com.') },
  codes: { INTERNAL: 'We could not send the email just now. Please try again.' },
});

export const RESET_PASSWORD = defineForm({
  fields: {
    password: newPassword,
    confirm: {
      rules: { required: true },
      required: 'Type the same password again.',
      mismatch: 'The two passwords are not the same.',
      otherwise: 'Type the same password again.',
    },
  },
  aliases: { newPassword: 'password' },
  codes: {
    INVALID_TOKEN: 'This link has expired or was already used. Ask for a new one.',
  },
});

// ——— The account page ———

export const PROFILE = defineForm({
  fields: {
    name: {
      rules: { required: true, max: 100 },
      required: 'Your name is required.',
      tooLong: 'Your name must be at most 100 characters.',
      otherwise: 'Check your name.',
    },
    displayName: {
      rules: { required: true, min: 2, max: 80 },
      required: 'The name you work under must be at least 2 characters.',
      tooShort: 'The name you work under must be at least 2 characters.',
      tooLong: 'The name you work under must be at most 80 characters.',
      otherwise: 'Check the name you work under.',
    },
  },
});

export const CHANGE_PASSWORD = defineForm({
  fields: {
    currentPassword: {
      rules: { required: true, max: 128 },
      required: 'Type your current password.',
      otherwise: 'That is not your current password.',
    },
    newPassword: {
      ...newPassword,
      required: 'The new password must be at least 8 characters.',
      tooShort: 'The new password must be at least 8 characters.',
      tooLong: 'The new password must be at most 128 characters.',
      unchanged: 'The new password must be different from the current one.',
    },
    repeat: {
      rules: { required: true },
      required: 'Type the new password again.',
      mismatch: 'The two new passwords do not match.',
      otherwise: 'Type the new password again.',
    },
  },
  codes: {
    INVALID_PASSWORD: { field: 'currentPassword', message: 'That is not your current password.' },
    UNAUTHENTICATED: 'You have been signed out. Sign in again to change your password.',
  },
});

// ——— The mechanic's profile ———

/** 2000 → "2,000", as the sentences write numbers. */
const count = (n: number) => n.toLocaleString('en-US');

const { displayName: nameLimits, yearsExperience: yearLimits, brands: makeLimits, bio: bioLimits } = PROFILE_LIMITS;

/** The makes a mechanic lists, as the contract counts them (before the server drops repeats). */
function makesProblem(text: string): ProblemKind | null {
  const makes = brandsOf(text);
  if (makes.length > makeLimits.max) return 'range';
  return makes.some((make) => make.length > makeLimits.length) ? 'tooLong' : null;
}

/** `/profile`: what customers read about a mechanic (contract/profiles.ts UpdateMechanicProfileBody). */
export const MECHANIC_PROFILE = defineForm({
  fields: {
    displayName: {
      rules: { required: true, min: nameLimits.min, max: nameLimits.max },
      required: 'Enter the name customers see.',
      tooShort: `The name customers see must be at least ${nameLimits.min} characters.`,
      tooLong: `The name customers see must be at most ${nameLimits.max} characters.`,
      otherwise: 'Check the name customers see.',
    },
    yearsExperience: {
      rules: { required: true, whole: yearLimits },
      required: 'Enter your years of experience, for example 8.',
      format: 'Years of experience is a whole number, for example 8.',
      range: `Years of experience must be between ${yearLimits.min} and ${yearLimits.max}.`,
      otherwise: `Years of experience is a whole number between ${yearLimits.min} and ${yearLimits.max}.`,
    },
    brands: {
      rules: { test: makesProblem },
      // "range": how many makes; "tooLong": one of them (most often two makes without a comma between).
      range: `List at most ${makeLimits.max} makes.`,
      tooLong: `Each make must be at most ${makeLimits.length} characters: separate makes with commas.`,
      said: [[/at most \d+ makes/, `List at most ${makeLimits.max} makes.`]],
      otherwise: `List up to ${makeLimits.max} makes, separated by commas, each at most ${makeLimits.length} characters.`,
    },
    bio: {
      rules: { max: bioLimits.max },
      tooLong: `Keep “A few words about you” under ${count(bioLimits.max)} characters.`,
      otherwise: `Check “A few words about you” (${count(bioLimits.max)} characters at most).`,
    },
  },
  codes: { FORBIDDEN: 'Only a mechanic’s account has a profile to change.' },
});

/** The profile photo: uploaded (or removed) on its own, so only refusals. */
export const PROFILE_PHOTO_CODES = {
  PAYLOAD_TOO_LARGE: `That photo is too large. ${PHOTO_MESSAGES.profileTooLarge}`,
  UNSUPPORTED_MEDIA_TYPE: `That file is not a photo we can use. ${PHOTO_MESSAGES.type}`,
  // An empty file, or none at all: the browser checks for both, so this is rare.
  VALIDATION_FAILED: 'No photo came through: the file may be empty. Choose a photo and try again.',
  RATE_LIMITED: 'You have changed your photo many times in the last hour. Please try again later.',
  FORBIDDEN: 'Only a mechanic’s account has a profile photo.',
};

// ——— Vehicles, the intake and the payment ———

const vehicleText = (name: string, max: number, example?: string): FieldSpec => ({
  rules: { required: Boolean(example), max },
  ...(example ? { required: `Enter the ${name}, for example ${example}.` } : {}),
  tooLong: `Keep the ${name} under ${max} characters.`,
  otherwise: `Check the ${name}.`,
});

const yearRange = () => `Year must be between ${MIN_VEHICLE_YEAR} and next year (${latestVehicleYear()}).`;

/** VehicleFields' fields, in their order on the page (the garage's editor; the intake's, under `vehicle.`). */
export const VEHICLE = defineForm({
  fields: {
    vin: {
      rules: { test: (vin) => (vin.trim() ? vinProblem(vin.trim().toUpperCase()) : null) },
      length: `${VIN_MESSAGES.length}.`,
      characters: `${VIN_MESSAGES.characters}.`,
      check_digit: `${VIN_MESSAGES.check_digit}.`,
      said: [
        [/already in your garage/i, 'This VIN is already in your garage.'],
        [/^(A VIN|This VIN)/, (phrase) => `${phrase.replace(/\.$/, '')}.`],
      ],
      otherwise: 'Check the VIN: 17 letters and digits, on the dashboard or the driver’s door frame.',
    },
    nickname: vehicleText('nickname', 60),
    year: {
      rules: { required: true, whole: { min: MIN_VEHICLE_YEAR, max: latestVehicleYear() } },
      required: 'Enter the year, for example 2016.',
      format: 'Enter the year as four digits, for example 2016.',
      range: yearRange(),
      otherwise: 'Check the year, for example 2016.',
    },
    make: vehicleText('make', 60, 'Toyota'),
    model: vehicleText('model', 80, 'Corolla'),
    mileage: {
      rules: { whole: { min: 0, max: 3_000_000 } },
      format: 'Mileage is a whole number of miles, for example 84000.',
      range: 'Mileage must be between 0 and 3,000,000 miles.',
      otherwise: 'Mileage is a whole number of miles, for example 84000.',
    },
    trim: vehicleText('trim', 80),
    engine: vehicleText('engine', 80),
    fuel: vehicleText('fuel', 40),
  },
});

type VehicleField = keyof typeof VEHICLE.fields;
const intakeVehicle = Object.fromEntries(
  Object.entries(VEHICLE.fields).map(([field, spec]) => [`vehicle.${field}`, spec]),
) as Record<`vehicle.${VehicleField}`, FieldSpec>;

export const troubleCodes: FieldSpec = {
  unsent: 'Add the code you typed (press Enter) or clear the field before sending.',
  format: `${TROUBLE_CODE_MESSAGE}.`,
  tooLong: `Give at most ${MAX_TROUBLE_CODES} trouble codes.`,
  otherwise: 'Check the trouble codes, for example P0301.',
};

export const INTAKE = defineForm({
  fields: {
    vehicleId: {
      said: [[/one of the two/, 'Describe the vehicle, or pick one from your garage.']],
      otherwise: 'That vehicle is no longer in your garage. Choose another, or describe it.',
    },
    ...intakeVehicle,
    concern: {
      rules: { required: true, min: 10, max: 4000 },
      required: 'Tell us what is happening — at least 10 characters.',
      tooShort: 'Tell us a little more about what is happening — at least 10 characters.',
      tooLong: 'Keep the description under 4,000 characters.',
      otherwise: 'Tell us what is happening — at least 10 characters.',
    },
    troubleCodes,
    plan: { otherwise: 'Choose one of the plans.' },
    workshopId: { otherwise: 'That workshop is not taking requests now. Choose another, or any available mechanic.' },
  },
  // The refinement "a vehicle or a vehicleId" is said at `vehicle`: the picker is where that is chosen.
  aliases: { vehicle: 'vehicleId' },
  codes: {
    NETWORK: 'Could not send your request. Check your connection and try again.',
    ACTIVE_SESSION_EXISTS: 'You already have an open session.',
    FREE_PLAN_USED: { field: 'plan', message: 'You have used your free question. Please pick another plan.' },
  },
});

/** `MM/YY` or `MM/YYYY`, a real month. */
export function expiryProblem(expiry: string): ProblemKind | null {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(expiry);
  if (!match) return 'format';
  const month = Number(match[1]);
  return month >= 1 && month <= 12 ? null : 'format';
}

export const CARD = defineForm({
  fields: {
    cardNumber: {
      rules: { required: true, test: (n) => (/^\d{12,19}$/.test(n.trim().replace(/[\s-]/g, '')) ? null : 'format') },
      required: 'Enter the card number.',
      format: 'Check the card number: 12 to 19 digits, as on the card.',
      otherwise: 'Check the card number: 12 to 19 digits, as on the card.',
    },
    expiry: {
      rules: { required: true, test: expiryProblem },
      required: 'Enter the expiry date, like 12/30.',
      format: 'Enter the expiry date as month/year, like 12/30.',
      otherwise: 'Check the expiry date: month/year, like 12/30.',
    },
    cvc: {
      rules: { required: true, pattern: /^\d{3,4}$/ },
      required: 'Enter the security code (CVC): the 3 or 4 digits on the card.',
      format: 'The security code (CVC) is 3 or 4 digits.',
      otherwise: 'The security code (CVC) is 3 or 4 digits.',
    },
  },
  aliases: { expMonth: 'expiry', expYear: 'expiry' },
  codes: { NETWORK: 'The payment could not be made: check your connection and try again.' },
});

// ——— The session room ———

export const REPORT = defineForm({
  fields: {
    summary: {
      rules: { required: true, max: 2000 },
      required: 'Write a short summary for the customer.',
      tooLong: 'Keep the summary under 2,000 characters.',
      otherwise: 'Check the summary (2,000 characters at most).',
    },
    findings: {
      rules: { required: true, max: 8000 },
      required: 'Write what you found.',
      tooLong: 'Keep the findings under 8,000 characters.',
      otherwise: 'Check the findings (8,000 characters at most).',
    },
    troubleCodes: {
      ...troubleCodes,
      unsent: 'Add the code you typed (press Enter) or clear the field.',
    },
    severity: {
      said: [[/required/, 'Choose a severity: there are no trouble codes to take it from.']],
      otherwise: 'Choose a severity.',
    },
    'recommendations.*.title': {
      tooLong: 'Keep each recommendation under 200 characters.',
      otherwise: 'Check this recommendation (200 characters at most).',
    },
    'recommendations.*.estimatedCostMinCents': {
      otherwise: 'Give the cost in dollars, 0 or more.',
    },
    'recommendations.*.estimatedCostMaxCents': {
      mismatch: 'The “to” cost must be at least the “from” cost.',
      said: [[/minimum cost/, 'The “to” cost must be at least the “from” cost.']],
      otherwise: 'Give the cost in dollars, 0 or more.',
    },
  },
  codes: {
    INVALID_TRANSITION: 'The report cannot be changed now: it was submitted already. Reload the page to see it.',
    FORBIDDEN: 'Only the mechanic of this session writes its report.',
  },
});

export const REFUND_REQUEST = defineForm({
  fields: {
    reason: {
      rules: { required: true, min: 10, max: 2000 },
      required: 'Tell us a little more about what went wrong: at least 10 characters.',
      tooShort: 'Tell us a little more about what went wrong: at least 10 characters.',
      tooLong: 'Keep it under 2,000 characters.',
      otherwise: 'Tell us what went wrong: at least 10 characters.',
    },
  },
  codes: {
    INVALID_TRANSITION: 'A refund can no longer be asked for this session.',
    ALREADY_TAKEN: 'You have already asked for a refund for this session.',
  },
});

/** Share links of a report (the documents of an ended session): only refusals. */
export const SHARE_LINK_CODES = {
  // Also "no report yet", which the page does not offer to share.
  INVALID_TRANSITION: 'No more links can be made: a report has at most 10 working links. Revoke one first.',
  NOT_FOUND: 'That link was already revoked.',
  FORBIDDEN: 'Only the customer of this session can share its report.',
};

/** Asking to be told when a mechanic comes on shift (the intake): only refusals. */
export const WAITLIST_CODES = {
  VALIDATION_FAILED: 'Choose one of the plans on offer first, then try again.',
  FORBIDDEN: 'Only a customer’s account can wait for a mechanic.',
};

/** Adding time to a live session: no fields, only refusals. */
export const EXTEND_TIME_CODES = {
  SESSION_CLOSED: 'The session has ended, so no time can be added.',
  INVALID_TRANSITION: 'Time can no longer be added to this session.',
};

// ——— The admin console ———

export const REASON = defineForm({ fields: { reason: auditReason } });

const amount = (all: string): FieldSpec => ({
  rules: {
    test: (text) =>
      !text.trim() ? null : parseCents(text) === null ? 'format' : parseCents(text) === 0 ? 'range' : null,
  },
  format: 'Type the amount in dollars and cents, like 4.99.',
  range: `The amount must be more than zero, or leave it empty to refund ${all}.`,
  otherwise: 'The amount is not one that can be refunded.',
});

/** REFUND_EXCEEDS_CAPTURE: what is left, formatted, or undefined when the server did not say. */
export const refundTooMuch = (left: string | undefined, isNothingLeft: boolean) =>
  isNothingLeft
    ? 'Nothing is left to refund: it has all been refunded already.'
    : left === undefined
      ? 'That is more than can still be refunded.'
      : `At most ${left} can still be refunded.`;

export const REFUND = defineForm({
  fields: { amountCents: amount('everything'), reason: auditReason },
  codes: {
    IDEMPOTENCY_MISMATCH:
      'A refund from this dialog may already have gone through with other details. Close it and check the refunds below before trying again.',
    NETWORK:
      'The refund could not be confirmed. Press the button again: it is the same refund, it will not be made twice.',
    SERVICE_UNAVAILABLE:
      'The refund could not be confirmed. Press the button again: it is the same refund, it will not be made twice.',
    INTERNAL:
      'The refund could not be confirmed. Press the button again: it is the same refund, it will not be made twice.',
  },
});

export const DECIDE_REFUND = defineForm({
  fields: {
    amountCents: amount('it all'),
    note: {
      rules: { max: 2000 },
      required: 'Write why it is declined: the customer reads this note.',
      tooLong: 'Keep the note under 2,000 characters.',
      otherwise: 'Check the note (2,000 characters at most).',
    },
  },
  codes: { INVALID_TRANSITION: 'This request has been decided already. Reload to see how.' },
});

export const PAYOUT_ACCOUNT = defineForm({
  fields: {
    accountId: {
      rules: { required: true, pattern: /^acct_\w{6,}$/ },
      required: 'Type a Stripe connected account id: acct_ and then at least 6 letters or digits.',
      format: 'Type a Stripe connected account id: acct_ and then at least 6 letters or digits.',
      otherwise: 'Type a Stripe connected account id: acct_ and then at least 6 letters or digits.',
    },
    reason: auditReason,
  },
});

/** As the contract's WebhookUrl: an address the browser can read, over http(s). */
function webAddressProblem(text: string): ProblemKind | null {
  try {
    return /^https?:$/.test(new URL(text.trim()).protocol) ? null : 'format';
  } catch {
    return 'format';
  }
}

/** The server's reasons for refusing an address, which only it can know (it resolves the host). */
const asUrlSentence = (phrase: string) => `The URL ${phrase.replace(/\.$/, '')}.`;

export const WEBHOOK = defineForm({
  fields: {
    url: {
      rules: {
        required: true,
        max: 2000,
        test: webAddressProblem,
      },
      required: 'Type the address the events should be sent to, like https://example.com/hooks.',
      tooLong: 'The URL must be at most 2,000 characters.',
      format: 'Type a full web address starting with https://, like https://example.com/hooks.',
      said: [
        [/^must (lead to the public internet|name a host that exists|not contain a user name)/, asUrlSentence],
        [
          /^must (be a full web address|start with)/,
          'Type a full web address starting with https://, like https://example.com/hooks.',
        ],
      ],
      otherwise: 'This URL cannot be used.',
    },
    events: {
      rules: { required: true },
      required: 'Choose at least one event to send.',
      otherwise: 'Choose at least one of the events listed.',
    },
  },
});

/** Filters of admin lists: the server refuses a bad one when the list is read. */
export const PAYMENT_FILTERS = defineForm({
  fields: {
    customer: { otherwise: 'Type an email address, or part of one.' },
    mechanicId: { otherwise: 'This is not a mechanic id: copy it from a payment or the payouts list.' },
    from: { otherwise: 'Pick a date.' },
    to: { range: 'To is before From.', otherwise: 'Pick a date.' },
  },
});

export const PAYOUT_FILTERS = defineForm({
  fields: { mechanicId: { otherwise: 'This is not a mechanic id: copy it from a payment’s story.' } },
});

export const WORKSHOP = defineForm({
  fields: {
    name: {
      rules: { required: true, min: 2, max: 120 },
      required: 'Enter the workshop’s name.',
      tooShort: 'The workshop’s name must be at least 2 characters.',
      tooLong: 'The workshop’s name must be at most 120 characters.',
      said: [[/taken/, 'A workshop with this name is already listed in this city.']],
      otherwise: 'Check the workshop’s name.',
    },
    city: {
      rules: { required: true, max: 80 },
      required: 'Enter the city.',
      tooLong: 'The city must be at most 80 characters.',
      otherwise: 'Check the city.',
    },
    country: {
      rules: { required: true, min: 2, max: 80 },
      required: 'Enter the country, for example US.',
      tooShort: 'The country must be at least 2 characters, for example US.',
      tooLong: 'The country must be at most 80 characters.',
      otherwise: 'Check the country, for example US.',
    },
  },
});

export const WORKSHOP_MEMBER = defineForm({
  fields: {
    workshopId: { rules: { required: true }, required: 'Choose a workshop.', otherwise: 'Choose a workshop.' },
    email: email('Enter the mechanic’s email address.'),
  },
  codes: {
    NOT_FOUND: { field: 'email', message: 'No mechanic has an account with this email address.' },
  },
});
