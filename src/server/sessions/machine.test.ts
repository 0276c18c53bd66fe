import { describe, expect, it } from 'vitest';
import type { Windows } from '../config.js';
import type { SessionStatus } from '../db/schema.js';
import { transition, type LifecycleActor, type LifecycleEvent, type Outcome, type SessionSnapshot } from './machine.js';

const windows: Windows = {
  offerSeconds: 900,
  urgentOfferSeconds: 300,
  joinSeconds: 600,
  abandonSeconds: 300,
  exclusiveSeconds: 120,
  liveGraceSeconds: 120,
};
const t0 = new Date('2026-06-01T09:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

const CUSTOMER = 'c0000000-0000-4000-8000-000000000001';
const MECHANIC = 'm0000000-0000-4000-8000-000000000002';
const OTHER = 'o0000000-0000-4000-8000-000000000003';

const customer: LifecycleActor = { kind: 'customer', userId: CUSTOMER };
const mechanic: LifecycleActor = { kind: 'mechanic', userId: MECHANIC };
const otherMechanic: LifecycleActor = { kind: 'mechanic', userId: OTHER };
const admin: LifecycleActor = { kind: 'admin', userId: OTHER };
const system: LifecycleActor = { kind: 'system' };

function snapshot(status: SessionStatus, patch: Partial<SessionSnapshot> = {}): SessionSnapshot {
  const assigned = status === 'accepted' || status === 'live' || status === 'completed';
  return {
    status,
    customerId: CUSTOMER,
    mechanicId: assigned ? MECHANIC : null,
    urgent: false,
    deadlineAt: at(900),
    acceptedAt: assigned ? t0 : null,
    startedAt: status === 'live' || status === 'completed' ? t0 : null,
    plannedMinutes: 30,
    extendedMinutes: 0,
    customer: { userId: CUSTOMER, joinedAt: status === 'live' ? t0 : null, lastSeenAt: t0 },
    mechanic: assigned ? { userId: MECHANIC, joinedAt: status === 'live' ? t0 : null, lastSeenAt: t0 } : null,
    ...patch,
  };
}

function expectTransition(outcome: Outcome) {
  if (outcome.kind !== 'transition') throw new Error(`expected a transition, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('transition table', () => {
  it('T2: a mechanic accepts a pending session; the join window starts', () => {
    const out = expectTransition(transition(snapshot('pending'), { type: 'accept' }, mechanic, at(10), windows));
    expect(out.changes).toMatchObject({
      status: 'accepted',
      mechanicId: MECHANIC,
      acceptedAt: at(10),
      deadlineAt: at(610),
    });
    expect(out.participant).toEqual({ type: 'add_mechanic', userId: MECHANIC });
    expect(out.eventType).toBe('session.accepted');
  });

  it('T2: accepting a session someone else accepted is ALREADY_TAKEN', () => {
    expect(transition(snapshot('accepted'), { type: 'accept' }, otherMechanic, at(10), windows)).toMatchObject({
      kind: 'rejected',
      code: 'ALREADY_TAKEN',
    });
  });

  it('T3: the customer cancels a pending request', () => {
    const out = expectTransition(transition(snapshot('pending'), { type: 'end' }, customer, at(60), windows));
    expect(out.changes).toMatchObject({
      status: 'cancelled',
      endReason: 'cancelled_before_accept',
      endedBy: 'customer',
      endedAt: at(60),
      deadlineAt: null,
    });
    expect(out.changes.durationMinutes).toBeUndefined();
  });

  it('T4: the offer window passes with no mechanic: expired', () => {
    const out = expectTransition(transition(snapshot('pending'), { type: 'deadline' }, system, at(900), windows));
    expect(out.changes).toMatchObject({ status: 'expired', endReason: 'no_mechanic_available', endedBy: 'system' });
  });

  it('T4: the sweeper refuses a deadline that has not passed', () => {
    expect(transition(snapshot('pending'), { type: 'deadline' }, system, at(899), windows)).toMatchObject({
      kind: 'rejected',
      code: 'INVALID_TRANSITION',
    });
  });

  it('T5: the assigned mechanic releases; the offer re-opens with a fresh window', () => {
    const urgent = snapshot('accepted', { urgent: true });
    const out = expectTransition(transition(urgent, { type: 'release' }, mechanic, at(100), windows));
    expect(out.changes).toEqual({ status: 'pending', mechanicId: null, acceptedAt: null, deadlineAt: at(400) });
    expect(out.participant).toEqual({ type: 'remove_mechanic', userId: MECHANIC });
  });

  it('T5: only the assigned mechanic may release', () => {
    for (const actor of [customer, otherMechanic]) {
      expect(transition(snapshot('accepted'), { type: 'release' }, actor, at(1), windows)).toMatchObject({
        kind: 'rejected',
        code: 'FORBIDDEN',
      });
    }
  });

  it('T6: the first join stays accepted and records the join', () => {
    const out = expectTransition(transition(snapshot('accepted'), { type: 'join' }, customer, at(30), windows));
    expect(out.changes.status).toBe('accepted');
    expect(out.eventType).toBe('session.joined');
    expect(out.participant).toEqual({ type: 'mark_joined', userId: CUSTOMER });
  });

  it('T6: the second join makes it live, with the time limit plus grace as the deadline', () => {
    const s = snapshot('accepted', { customer: { userId: CUSTOMER, joinedAt: at(10), lastSeenAt: at(10) } });
    const out = expectTransition(transition(s, { type: 'join' }, mechanic, at(40), windows));
    expect(out.changes).toEqual({ status: 'live', startedAt: at(40), deadlineAt: at(40 + 30 * 60 + 120) });
    expect(out.eventType).toBe('session.started');
  });

  it('T6: extended minutes lengthen the live deadline', () => {
    const s = snapshot('accepted', {
      extendedMinutes: 15,
      mechanic: { userId: MECHANIC, joinedAt: at(10), lastSeenAt: at(10) },
    });
    const out = expectTransition(transition(s, { type: 'join' }, customer, at(20), windows));
    expect(out.changes.deadlineAt).toEqual(at(20 + 45 * 60 + 120));
  });

  it('T6: joining again before the other arrives changes nothing', () => {
    const s = snapshot('accepted', { customer: { userId: CUSTOMER, joinedAt: at(10), lastSeenAt: at(10) } });
    expect(transition(s, { type: 'join' }, customer, at(20), windows)).toMatchObject({ kind: 'unchanged' });
  });

  it('T6b: joining a live session after a disconnect is not a transition', () => {
    expect(transition(snapshot('live'), { type: 'join' }, mechanic, at(20), windows)).toEqual({
      kind: 'unchanged',
      rule: 'T6b',
      alreadyEnded: false,
    });
  });

  it('T7: the customer ends before the join window passes: cancelled', () => {
    const out = expectTransition(transition(snapshot('accepted'), { type: 'end' }, customer, at(599), windows));
    expect(out.changes).toMatchObject({ status: 'cancelled', endReason: 'cancelled_by_customer', endedBy: 'customer' });
  });

  it('T7: the customer ends after the join window and the mechanic never joined: mechanic no-show', () => {
    const s = snapshot('accepted', { deadlineAt: at(600) });
    const out = expectTransition(transition(s, { type: 'end' }, customer, at(600), windows));
    expect(out.changes).toMatchObject({ status: 'no_show', noShowParty: 'mechanic', endedBy: 'customer' });
  });

  it('T7: after the join window, a mechanic who did join makes it a cancellation', () => {
    const s = snapshot('accepted', {
      deadlineAt: at(600),
      mechanic: { userId: MECHANIC, joinedAt: at(5), lastSeenAt: at(5) },
    });
    const out = expectTransition(transition(s, { type: 'end' }, customer, at(700), windows));
    expect(out.changes).toMatchObject({ status: 'cancelled', endReason: 'cancelled_by_customer' });
  });

  it('T8: the mechanic ends before the window: cancelled by mechanic', () => {
    const out = expectTransition(transition(snapshot('accepted'), { type: 'end' }, mechanic, at(30), windows));
    expect(out.changes).toMatchObject({ status: 'cancelled', endReason: 'cancelled_by_mechanic', endedBy: 'mechanic' });
  });

  it('T8: the mechanic ends after the window and the customer never joined: customer no-show', () => {
    const s = snapshot('accepted', { deadlineAt: at(600) });
    const out = expectTransition(transition(s, { type: 'end' }, mechanic, at(601), windows));
    expect(out.changes).toMatchObject({ status: 'no_show', noShowParty: 'customer', endedBy: 'mechanic' });
  });

  it.each([
    ['both', null, null],
    ['customer', null, at(5)],
    ['mechanic', at(5), null],
  ] as const)('T9: the join window passes: no-show of %s', (party, customerJoined, mechanicJoined) => {
    const s = snapshot('accepted', {
      deadlineAt: at(600),
      customer: { userId: CUSTOMER, joinedAt: customerJoined, lastSeenAt: null },
      mechanic: { userId: MECHANIC, joinedAt: mechanicJoined, lastSeenAt: null },
    });
    const out = expectTransition(transition(s, { type: 'deadline' }, system, at(600), windows));
    expect(out.changes).toMatchObject({ status: 'no_show', noShowParty: party, endReason: 'join_window_passed' });
  });

  it('T10: a participant ends a live session: completed, with the rounded duration', () => {
    const out = expectTransition(transition(snapshot('live'), { type: 'end' }, customer, at(12 * 60 + 29), windows));
    expect(out.changes).toMatchObject({ status: 'completed', endReason: 'ended_by_participant', durationMinutes: 12 });
  });

  it('T10: the duration is at least one minute', () => {
    const out = expectTransition(transition(snapshot('live'), { type: 'end' }, mechanic, at(3), windows));
    expect(out.changes.durationMinutes).toBe(1);
  });

  it('T11: the time limit passes: completed by the system', () => {
    const s = snapshot('live', { deadlineAt: at(32 * 60) });
    const out = expectTransition(transition(s, { type: 'deadline' }, system, at(32 * 60), windows));
    expect(out.changes).toMatchObject({
      status: 'completed',
      endReason: 'time_limit',
      endedBy: 'system',
      durationMinutes: 32,
    });
  });

  it('T12: both participants away longer than the abandon window: completed as abandoned', () => {
    const s = snapshot('live', {
      customer: { userId: CUSTOMER, joinedAt: t0, lastSeenAt: at(60) },
      mechanic: { userId: MECHANIC, joinedAt: t0, lastSeenAt: at(100) },
    });
    const out = expectTransition(transition(s, { type: 'abandon' }, system, at(400), windows));
    expect(out.changes).toMatchObject({ status: 'completed', endReason: 'abandoned', endedBy: 'system' });
  });

  it('T12: one participant seen within the window keeps the session live', () => {
    const s = snapshot('live', {
      customer: { userId: CUSTOMER, joinedAt: t0, lastSeenAt: at(60) },
      mechanic: { userId: MECHANIC, joinedAt: t0, lastSeenAt: at(200) },
    });
    expect(transition(s, { type: 'abandon' }, system, at(400), windows)).toMatchObject({ kind: 'rejected' });
  });

  it.each([
    ['pending', 'cancelled'],
    ['accepted', 'cancelled'],
    ['live', 'completed'],
  ] as const)('T13: an admin force-ends a %s session: %s', (from, to) => {
    const out = expectTransition(
      transition(snapshot(from), { type: 'force_end', reason: 'stuck' }, admin, at(9), windows),
    );
    expect(out.changes).toMatchObject({ status: to, endReason: 'admin', endedBy: 'admin' });
    expect(out.payload).toMatchObject({ reason: 'stuck' });
  });

  it('T13: force-end needs a reason and an admin', () => {
    expect(transition(snapshot('live'), { type: 'force_end', reason: '  ' }, admin, at(1), windows)).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(transition(snapshot('live'), { type: 'force_end', reason: 'x' }, customer, at(1), windows)).toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('T14 extend', () => {
  const extend = (minutes = 10): LifecycleEvent => ({ type: 'extend', minutes, extensionId: 'x1' });
  it('the customer extends a live session: the countdown and the deadline move by the same minutes', () => {
    const s = snapshot('live', { extendedMinutes: 10, deadlineAt: at(2520) });
    const out = expectTransition(transition(s, extend(15), customer, at(60), windows));
    expect(out).toMatchObject({ rule: 'T14', eventType: 'session.extended' });
    expect(out.changes).toEqual({ status: 'live', extendedMinutes: 25, deadlineAt: at(2520 + 15 * 60) });
    expect(out.payload).toMatchObject({ minutes: 15, extensionId: 'x1', extendedMinutes: 25 });
  });
  it('only the customer, only live, only whole minutes', () => {
    expect(transition(snapshot('live'), extend(), mechanic, at(1), windows)).toMatchObject({ code: 'FORBIDDEN' });
    expect(transition(snapshot('accepted'), extend(), customer, at(1), windows)).toMatchObject({
      code: 'INVALID_TRANSITION',
    });
    expect(transition(snapshot('completed', { deadlineAt: null }), extend(), customer, at(1), windows)).toMatchObject({
      code: 'SESSION_CLOSED',
    });
    expect(transition(snapshot('live'), extend(0), customer, at(1), windows)).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
  it('not once the deadline has passed, even before the sweeper ends the session', () => {
    const s = snapshot('live', { deadlineAt: at(2520) });
    expect(transition(s, extend(), customer, at(2519), windows)).toMatchObject({ kind: 'transition' });
    expect(transition(s, extend(), customer, at(2520), windows)).toMatchObject({ code: 'INVALID_TRANSITION' });
  });
});

describe('terminal states are closed', () => {
  const terminal: SessionStatus[] = ['completed', 'cancelled', 'no_show', 'expired'];

  it.each(terminal)('ending a %s session again writes nothing and says alreadyEnded', (status) => {
    const s = snapshot(status, { deadlineAt: null });
    for (const actor of [customer, mechanic]) {
      expect(transition(s, { type: 'end' }, actor, at(1), windows)).toEqual({
        kind: 'unchanged',
        rule: 'ended',
        alreadyEnded: true,
      });
    }
    expect(transition(s, { type: 'deadline' }, system, at(1), windows)).toMatchObject({
      kind: 'unchanged',
      alreadyEnded: true,
    });
    expect(transition(s, { type: 'abandon' }, system, at(1), windows)).toMatchObject({
      kind: 'unchanged',
      alreadyEnded: true,
    });
  });

  it.each(terminal)('join, accept, release and force-end of a %s session are SESSION_CLOSED', (status) => {
    const s = snapshot(status, { deadlineAt: null });
    const events: [LifecycleEvent, LifecycleActor][] = [
      [{ type: 'join' }, customer],
      [{ type: 'accept' }, otherMechanic],
      [{ type: 'release' }, mechanic],
      [{ type: 'force_end', reason: 'x' }, admin],
    ];
    for (const [event, actor] of events) {
      expect(transition(s, event, actor, at(1), windows)).toMatchObject({ kind: 'rejected', code: 'SESSION_CLOSED' });
    }
  });
});

describe('every other (status, event) pair is rejected', () => {
  const rejected: [SessionStatus, LifecycleEvent, LifecycleActor, string][] = [
    ['pending', { type: 'release' }, mechanic, 'FORBIDDEN'],
    ['pending', { type: 'join' }, customer, 'INVALID_TRANSITION'],
    ['pending', { type: 'abandon' }, system, 'INVALID_TRANSITION'],
    ['pending', { type: 'end' }, mechanic, 'FORBIDDEN'],
    ['pending', { type: 'accept' }, customer, 'FORBIDDEN'],
    ['accepted', { type: 'abandon' }, system, 'INVALID_TRANSITION'],
    ['accepted', { type: 'join' }, otherMechanic, 'FORBIDDEN'],
    ['accepted', { type: 'end' }, otherMechanic, 'FORBIDDEN'],
    ['accepted', { type: 'deadline' }, customer, 'FORBIDDEN'],
    ['live', { type: 'accept' }, otherMechanic, 'ALREADY_TAKEN'],
    ['live', { type: 'release' }, mechanic, 'INVALID_TRANSITION'],
    ['live', { type: 'end' }, admin, 'FORBIDDEN'],
    ['live', { type: 'abandon' }, customer, 'FORBIDDEN'],
  ];

  it.each(rejected)('%s + %o by %o → %s', (status, event, actor, code) => {
    expect(transition(snapshot(status), event, actor, at(30), windows)).toMatchObject({ kind: 'rejected', code });
  });
});
