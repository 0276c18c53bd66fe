import { describe, expect, it } from 'vitest';
import type { Session, SessionMoney } from '../../../shared/contract';
import { endWords, timeLeftWords } from './end-words';
import { ratingStep, reportStep, REPORT_WAIT_MINUTES } from './ended-steps';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const minutesAgo = (n: number) => new Date(NOW - n * 60_000).toISOString();

const session = (overrides: Partial<Session> = {}) => ({
  status: 'live' as Session['status'],
  plan: 'quick',
  startedAt: minutesAgo(18),
  plannedMinutes: 30,
  extendedMinutes: 0,
  deadlineAt: null,
  participants: [
    { userId: 'c', role: 'customer' as const, joinedAt: minutesAgo(19), connected: true },
    { userId: 'm', role: 'mechanic' as const, joinedAt: minutesAgo(18), connected: true },
  ],
  ...overrides,
});

const paid = (extensions: SessionMoney['extensions'] = []): SessionMoney => ({
  payment: {
    id: 'p',
    status: 'authorized',
    plan: 'quick',
    amountCents: 999,
    capturedCents: extensions.reduce((s, x) => s + x.amountCents, 0),
    refundedCents: 0,
    currency: 'USD',
    provider: 'local',
    card: { brand: 'visa', last4: '4242' },
    sessionId: 's',
  } as SessionMoney['payment'],
  extensions,
  capturedCents: 0,
  refundedCents: 0,
  mechanicShareCents: 0,
  platformShareCents: 0,
  payoutId: null,
  refunds: [],
  refundRequest: null,
  extensionOffer: null,
  outcome: 'authorized',
});

describe('time left, in words', () => {
  it('rounds up to whole minutes, as a person reads the countdown', () => {
    expect(timeLeftWords(12 * 60_000)).toBe('You have 12 minutes left.');
    expect(timeLeftWords(11 * 60_000 + 1)).toBe('You have 12 minutes left.');
    expect(timeLeftWords(60_000)).toBe('You have 1 minute left.');
    expect(timeLeftWords(59_000)).toBe('You have less than a minute left.');
    expect(timeLeftWords(0)).toMatch(/^Your time is up/);
  });
});

describe('the end-session dialog', () => {
  it('live, paid: the time left and the full plan price charged to the card', () => {
    const words = endWords({ session: session(), role: 'customer', view: paid(), now: NOW });
    expect(words.title).toBe('End the session now?');
    expect(words.time).toBe('You have 12 minutes left.');
    expect(words.payment).toBe(
      'Ending now charges your card (Visa •••• 4242) $9.99 for this session — the full price, whatever time is left.',
    );
  });

  it('live with added time: counts it in the time left and says the extension was already paid', () => {
    const view = paid([
      { id: 'x', minutes: 10, amountCents: 499, status: 'succeeded' },
      { id: 'y', minutes: 10, amountCents: 499, status: 'failed' },
    ]);
    const words = endWords({ session: session({ extendedMinutes: 10 }), role: 'customer', view, now: NOW });
    expect(words.time).toBe('You have 22 minutes left.');
    expect(words.payment).toContain('The $4.99 for added time was charged when you added it.');
  });

  it('live while the money loads: says what happens without an amount', () => {
    const words = endWords({ session: session(), role: 'customer', view: null, now: NOW });
    expect(words.payment).toBe(
      'Ending now completes the session and charges your card the plan’s price, whatever time is left.',
    );
  });

  it('free plan: nothing is charged, live or not', () => {
    expect(endWords({ session: session({ plan: 'free' }), role: 'customer', view: null, now: NOW }).payment).toBe(
      'This is a free session: nothing is charged.',
    );
    const accepted = session({ plan: 'free', status: 'accepted', startedAt: null });
    expect(endWords({ session: accepted, role: 'customer', view: null, now: NOW }).payment).toBe(
      'This is a free session: nothing is charged.',
    );
  });

  it('never started: cancelled, the card is not charged and the hold is released', () => {
    const accepted = session({ status: 'accepted', startedAt: null, deadlineAt: minutesAgo(-5) });
    const words = endWords({ session: accepted, role: 'customer', view: paid(), now: NOW });
    expect(words.title).toBe('End the session before it starts?');
    expect(words.time).toBe('The session has not started yet: ending now cancels it.');
    expect(words.payment).toBe('Your card will not be charged; the hold of $9.99 is released.');
  });

  it('the mechanic never joined and the join window passed: their no-show, and still nothing charged', () => {
    const accepted = session({
      status: 'accepted',
      startedAt: null,
      deadlineAt: minutesAgo(1),
      participants: [
        { userId: 'c', role: 'customer', joinedAt: minutesAgo(9), connected: true },
        { userId: 'm', role: 'mechanic', joinedAt: null, connected: false },
      ],
    });
    const words = endWords({ session: accepted, role: 'customer', view: paid(), now: NOW });
    expect(words.time).toBe('The mechanic did not join in time: ending now records that they missed the session.');
    expect(words.payment).toBe('Your card will not be charged; the hold of $9.99 is released.');
  });

  it('the mechanic ending: the customer’s charge in their words, the no-show fee when the customer missed it', () => {
    const live = endWords({ session: session(), role: 'mechanic', view: null, now: NOW });
    expect(live.payment).toMatch(/the customer is charged for it and your share goes to your earnings/);
    const missed = session({
      status: 'accepted',
      startedAt: null,
      deadlineAt: minutesAgo(1),
      participants: [
        { userId: 'c', role: 'customer', joinedAt: null, connected: false },
        { userId: 'm', role: 'mechanic', joinedAt: minutesAgo(9), connected: true },
      ],
    });
    const words = endWords({ session: missed, role: 'mechanic', view: null, now: NOW });
    expect(words.time).toMatch(/^The customer did not join in time/);
    expect(words.payment).toMatch(/no-show fee/);
    const early = endWords({
      session: { ...missed, deadlineAt: minutesAgo(-3) },
      role: 'mechanic',
      view: null,
      now: NOW,
    });
    expect(early.payment).toMatch(/^The customer is not charged/);
  });
});

describe('the ended screen’s order', () => {
  const completed = { status: 'completed' as const, startedAt: minutesAgo(40), endedAt: minutesAgo(5) };

  it('the report: none for a session that never started, writing, then ready; late after the wait', () => {
    expect(reportStep({ status: 'cancelled', startedAt: null, endedAt: minutesAgo(1) }, false, NOW)).toBe('none');
    expect(reportStep(completed, false, NOW)).toBe('writing');
    expect(reportStep(completed, true, NOW)).toBe('ready');
    expect(reportStep({ ...completed, endedAt: minutesAgo(REPORT_WAIT_MINUTES) }, false, NOW)).toBe('late');
  });

  it('the rating: only after the report (or the wait), once; never for a session that did not complete', () => {
    expect(ratingStep(completed, { hasReport: false, rated: false, now: NOW })).toBe('after-report');
    expect(ratingStep(completed, { hasReport: true, rated: false, now: NOW })).toBe('ask');
    expect(ratingStep(completed, { hasReport: true, rated: true, now: NOW })).toBe('done');
    const late = { ...completed, endedAt: minutesAgo(REPORT_WAIT_MINUTES + 1) };
    expect(ratingStep(late, { hasReport: false, rated: false, now: NOW })).toBe('ask');
    for (const status of ['cancelled', 'no_show', 'expired'] as const) {
      expect(ratingStep({ ...completed, status }, { hasReport: false, rated: false, now: NOW })).toBe('none');
    }
  });
});
