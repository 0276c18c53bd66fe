import type { Windows } from '../config.js';
import type { ErrorCode } from '../errors.js';
import type { SessionStatus } from '../db/schema.js';

/*
 * The session lifecycle of domain.md §4 as a pure table. `transition` reads a snapshot of a
 * session and returns the next state and its effects, or a rejection. It touches no database and
 * reads no clock: the caller passes `now`, persists with compare-and-set, and appends the event.
 */

export const OPEN_STATUSES = ['pending', 'accepted', 'live'] as const satisfies readonly SessionStatus[];
export const TERMINAL_STATUSES = [
  'completed',
  'cancelled',
  'no_show',
  'expired',
] as const satisfies readonly SessionStatus[];

export const isTerminal = (status: SessionStatus): boolean => (TERMINAL_STATUSES as readonly string[]).includes(status);
/** Accepted or live: a mechanic is assigned and the session holds their one active slot. */
export const isAssigned = (status: SessionStatus): boolean => status === 'accepted' || status === 'live';

export type PartyState = {
  userId: string;
  joinedAt: Date | null;
  lastSeenAt: Date | null;
};

export type SessionSnapshot = {
  status: SessionStatus;
  customerId: string;
  mechanicId: string | null;
  urgent: boolean;
  deadlineAt: Date | null;
  acceptedAt: Date | null;
  startedAt: Date | null;
  plannedMinutes: number;
  extendedMinutes: number;
  customer: PartyState;
  /** The assigned mechanic's participation, when one is assigned. */
  mechanic: PartyState | null;
};

/** Who acts, in their relation to this session (authorisation happened before). */
export type Actor =
  | { kind: 'customer'; userId: string }
  | { kind: 'mechanic'; userId: string }
  | { kind: 'admin'; userId: string }
  | { kind: 'system' };

export type LifecycleEvent =
  | { type: 'accept' }
  | { type: 'release' }
  | { type: 'join' }
  /** A participant ends it; `reason` (their words, optional) is kept in the event. */
  | { type: 'end'; reason?: string }
  /** The sweeper: the current state's deadline has passed (T4, T9, T11). */
  | { type: 'deadline' }
  /** The sweeper: both participants have been away longer than the abandon window (T12). */
  | { type: 'abandon' }
  | { type: 'force_end'; reason: string };

export type EndReason =
  | 'cancelled_before_accept'
  | 'cancelled_by_customer'
  | 'cancelled_by_mechanic'
  | 'no_mechanic_available'
  | 'participant_no_show'
  | 'join_window_passed'
  | 'ended_by_participant'
  | 'time_limit'
  | 'abandoned'
  | 'admin';

/** Column changes of a transition; absent keys stay as they are. */
export type SessionChanges = {
  status: SessionStatus;
  deadlineAt: Date | null;
  mechanicId?: string | null;
  acceptedAt?: Date | null;
  startedAt?: Date;
  endedAt?: Date;
  durationMinutes?: number;
  endReason?: EndReason;
  endedBy?: 'customer' | 'mechanic' | 'system' | 'admin';
  noShowParty?: 'customer' | 'mechanic' | 'both';
};

export type ParticipantEffect =
  | { type: 'add_mechanic'; userId: string }
  | { type: 'remove_mechanic'; userId: string }
  | { type: 'mark_joined'; userId: string };

export type EventType =
  'session.accepted' | 'session.released' | 'session.joined' | 'session.started' | 'session.ended';

export type Outcome =
  | {
      kind: 'transition';
      rule: string;
      eventType: EventType;
      changes: SessionChanges;
      participant?: ParticipantEffect;
      payload: Record<string, unknown>;
    }
  /** Nothing to write: ending what has ended, joining again after a disconnect. */
  | { kind: 'unchanged'; rule: string; alreadyEnded: boolean }
  | { kind: 'rejected'; code: ErrorCode; detail: string };

const seconds = (n: number) => n * 1000;
const addMs = (date: Date, ms: number) => new Date(date.getTime() + ms);

export function offerDeadline(now: Date, urgent: boolean, windows: Windows): Date {
  return addMs(now, seconds(urgent ? windows.urgentOfferSeconds : windows.offerSeconds));
}

/** When the countdown shown to both sides reaches zero (the grace period is not promised). */
export function promisedEnd(startedAt: Date, plannedMinutes: number, extendedMinutes: number): Date {
  return addMs(startedAt, (plannedMinutes + extendedMinutes) * 60_000);
}

export function durationMinutes(startedAt: Date, endedAt: Date): number {
  return Math.max(1, Math.round((endedAt.getTime() - startedAt.getTime()) / 60_000));
}

const reject = (code: ErrorCode, detail: string): Outcome => ({
  kind: 'rejected',
  code,
  detail,
});
const closed = (status: SessionStatus): Outcome => reject('SESSION_CLOSED', `The session has ended (${status})`);

export function transition(
  session: SessionSnapshot,
  event: LifecycleEvent,
  actor: Actor,
  now: Date,
  windows: Windows,
): Outcome {
  switch (event.type) {
    case 'accept':
      return accept(session, actor, now, windows);
    case 'release':
      return release(session, actor, now, windows);
    case 'join':
      return join(session, actor, now, windows);
    case 'end':
      return withReason(end(session, actor, now), event.reason);
    case 'deadline':
      return deadline(session, actor, now);
    case 'abandon':
      return abandon(session, actor, now, windows);
    case 'force_end':
      return forceEnd(session, actor, now, event.reason);
  }
}

// T2
function accept(s: SessionSnapshot, actor: Actor, now: Date, windows: Windows): Outcome {
  if (actor.kind !== 'mechanic') return reject('FORBIDDEN', 'Only a mechanic can accept a session');
  if (isTerminal(s.status)) return closed(s.status);
  if (s.status !== 'pending') return reject('ALREADY_TAKEN', 'Another mechanic accepted this session first');
  return {
    kind: 'transition',
    rule: 'T2',
    eventType: 'session.accepted',
    changes: {
      status: 'accepted',
      mechanicId: actor.userId,
      acceptedAt: now,
      deadlineAt: addMs(now, seconds(windows.joinSeconds)),
    },
    participant: { type: 'add_mechanic', userId: actor.userId },
    payload: { mechanicId: actor.userId },
  };
}

// T5
function release(s: SessionSnapshot, actor: Actor, now: Date, windows: Windows): Outcome {
  if (isTerminal(s.status)) return closed(s.status);
  if (actor.kind !== 'mechanic' || actor.userId !== s.mechanicId) {
    return reject('FORBIDDEN', 'Only the assigned mechanic can release a session');
  }
  if (s.status !== 'accepted') return reject('INVALID_TRANSITION', `A ${s.status} session cannot be released`);
  return {
    kind: 'transition',
    rule: 'T5',
    eventType: 'session.released',
    changes: {
      status: 'pending',
      mechanicId: null,
      acceptedAt: null,
      deadlineAt: offerDeadline(now, s.urgent, windows),
    },
    participant: { type: 'remove_mechanic', userId: actor.userId },
    payload: { mechanicId: actor.userId },
  };
}

// T6, T6b
function join(s: SessionSnapshot, actor: Actor, now: Date, windows: Windows): Outcome {
  if (isTerminal(s.status)) return closed(s.status);
  const party = partyOf(s, actor);
  if (!party) return reject('FORBIDDEN', 'Only the session’s participants can join it');
  if (s.status === 'pending') return reject('INVALID_TRANSITION', 'No mechanic has accepted the session yet');
  if (s.status === 'live') return { kind: 'unchanged', rule: 'T6b', alreadyEnded: false };
  if (party.joinedAt) return { kind: 'unchanged', rule: 'T6', alreadyEnded: false };
  const other = party === s.customer ? s.mechanic : s.customer;
  if (!other?.joinedAt) {
    return {
      kind: 'transition',
      rule: 'T6',
      eventType: 'session.joined',
      changes: { status: 'accepted', deadlineAt: s.deadlineAt },
      participant: { type: 'mark_joined', userId: party.userId },
      payload: { userId: party.userId },
    };
  }
  const limit = promisedEnd(now, s.plannedMinutes, s.extendedMinutes);
  return {
    kind: 'transition',
    rule: 'T6',
    eventType: 'session.started',
    changes: {
      status: 'live',
      startedAt: now,
      deadlineAt: addMs(limit, seconds(windows.liveGraceSeconds)),
    },
    participant: { type: 'mark_joined', userId: party.userId },
    payload: { userId: party.userId },
  };
}

// T3, T7, T8, T10
function end(s: SessionSnapshot, actor: Actor, now: Date): Outcome {
  if (isTerminal(s.status)) return { kind: 'unchanged', rule: 'ended', alreadyEnded: true };
  const party = partyOf(s, actor);
  if (!party || (actor.kind !== 'customer' && actor.kind !== 'mechanic')) {
    return reject('FORBIDDEN', 'Only the session’s participants can end it');
  }
  const endedBy = actor.kind;
  if (s.status === 'pending') {
    if (endedBy !== 'customer') return reject('INVALID_TRANSITION', 'Only the customer can cancel a request');
    return ending('T3', s, now, {
      status: 'cancelled',
      endReason: 'cancelled_before_accept',
      endedBy,
    });
  }
  if (s.status === 'accepted') {
    const joinWindowPassed = s.deadlineAt !== null && now.getTime() >= s.deadlineAt.getTime();
    const other = endedBy === 'customer' ? s.mechanic : s.customer;
    if (joinWindowPassed && !other?.joinedAt) {
      return ending(endedBy === 'customer' ? 'T7' : 'T8', s, now, {
        status: 'no_show',
        endReason: 'participant_no_show',
        endedBy,
        noShowParty: endedBy === 'customer' ? 'mechanic' : 'customer',
      });
    }
    return ending(endedBy === 'customer' ? 'T7' : 'T8', s, now, {
      status: 'cancelled',
      endReason: endedBy === 'customer' ? 'cancelled_by_customer' : 'cancelled_by_mechanic',
      endedBy,
    });
  }
  return ending('T10', s, now, {
    status: 'completed',
    endReason: 'ended_by_participant',
    endedBy,
  });
}

// T4, T9, T11
function deadline(s: SessionSnapshot, actor: Actor, now: Date): Outcome {
  if (actor.kind !== 'system') return reject('FORBIDDEN', 'Only the sweeper applies deadlines');
  if (isTerminal(s.status)) return { kind: 'unchanged', rule: 'ended', alreadyEnded: true };
  if (!s.deadlineAt || now.getTime() < s.deadlineAt.getTime()) {
    return reject('INVALID_TRANSITION', 'The deadline has not passed');
  }
  if (s.status === 'pending') {
    return ending('T4', s, now, {
      status: 'expired',
      endReason: 'no_mechanic_available',
      endedBy: 'system',
    });
  }
  if (s.status === 'accepted') {
    const customerMissing = !s.customer.joinedAt;
    const mechanicMissing = !s.mechanic?.joinedAt;
    const noShowParty = customerMissing && mechanicMissing ? 'both' : customerMissing ? 'customer' : 'mechanic';
    return ending('T9', s, now, {
      status: 'no_show',
      endReason: 'join_window_passed',
      endedBy: 'system',
      noShowParty,
    });
  }
  return ending('T11', s, now, {
    status: 'completed',
    endReason: 'time_limit',
    endedBy: 'system',
  });
}

// T12
function abandon(s: SessionSnapshot, actor: Actor, now: Date, windows: Windows): Outcome {
  if (actor.kind !== 'system') return reject('FORBIDDEN', 'Only the sweeper detects abandonment');
  if (isTerminal(s.status)) return { kind: 'unchanged', rule: 'ended', alreadyEnded: true };
  if (s.status !== 'live') return reject('INVALID_TRANSITION', 'Only a live session can be abandoned');
  const cutoff = now.getTime() - seconds(windows.abandonSeconds);
  const away = (party: PartyState | null) => !party?.lastSeenAt || party.lastSeenAt.getTime() <= cutoff;
  if (!away(s.customer) || !away(s.mechanic)) {
    return reject('INVALID_TRANSITION', 'A participant was seen within the abandon window');
  }
  return ending('T12', s, now, {
    status: 'completed',
    endReason: 'abandoned',
    endedBy: 'system',
  });
}

// T13
function forceEnd(s: SessionSnapshot, actor: Actor, now: Date, reason: string): Outcome {
  if (actor.kind !== 'admin') return reject('FORBIDDEN', 'Only an admin can force-end a session');
  if (isTerminal(s.status)) return closed(s.status);
  if (reason.trim().length === 0) return reject('VALIDATION_FAILED', 'A reason is required');
  const status = s.status === 'live' ? 'completed' : 'cancelled';
  const outcome = ending('T13', s, now, {
    status,
    endReason: 'admin',
    endedBy: 'admin',
  });
  return outcome.kind === 'transition' ? { ...outcome, payload: { ...outcome.payload, reason } } : outcome;
}

function withReason(outcome: Outcome, reason: string | undefined): Outcome {
  if (outcome.kind !== 'transition' || !reason) return outcome;
  return { ...outcome, payload: { ...outcome.payload, reason } };
}

function ending(
  rule: string,
  s: SessionSnapshot,
  now: Date,
  end: Required<Pick<SessionChanges, 'status' | 'endReason' | 'endedBy'>> & Pick<SessionChanges, 'noShowParty'>,
): Outcome {
  const changes: SessionChanges = { ...end, endedAt: now, deadlineAt: null };
  if (end.status === 'completed' && s.startedAt) changes.durationMinutes = durationMinutes(s.startedAt, now);
  return {
    kind: 'transition',
    rule,
    eventType: 'session.ended',
    changes,
    payload: {
      endReason: end.endReason,
      endedBy: end.endedBy,
      ...(end.noShowParty ? { noShowParty: end.noShowParty } : {}),
    },
  };
}

function partyOf(s: SessionSnapshot, actor: Actor): PartyState | null {
  if (actor.kind === 'customer' && actor.userId === s.customerId) return s.customer;
  if (actor.kind === 'mechanic' && s.mechanic && actor.userId === s.mechanic.userId) return s.mechanic;
  return null;
}
