import type { Windows } from '../config.js';
import type { ErrorCode } from '../errors.js';
import type {
  LifecycleActor,
  LifecycleEvent,
  Outcome,
  PartyState,
  SessionChanges,
  SessionSnapshot,
} from './lifecycle.types.js';
import { isTerminal, promisedEnd, type SessionStatus } from '../../shared/domain.js';

/*
 * The session lifecycle of domain.md §4 as a pure table. `transition` reads a snapshot of a
 * session and returns the next state and its effects, or a rejection. It touches no database and
 * reads no clock: the caller passes `now`, persists with compare-and-set, and appends the event.
 */

// The status groups are the domain's vocabulary, shared with the web app (src/shared/domain.ts).
export { isAssigned, isTerminal, OPEN_STATUSES, promisedEnd, TERMINAL_STATUSES } from '../../shared/domain.js';

export type * from './lifecycle.types.js';

const seconds = (n: number) => n * 1000;
const addMs = (date: Date, ms: number) => new Date(date.getTime() + ms);

export function offerDeadline(now: Date, urgent: boolean, windows: Windows): Date {
  return addMs(now, seconds(urgent ? windows.urgentOfferSeconds : windows.offerSeconds));
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
  actor: LifecycleActor,
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
    case 'extend':
      return extend(session, actor, event.minutes, event.extensionId, now);
  }
}

// T2
function accept(s: SessionSnapshot, actor: LifecycleActor, now: Date, windows: Windows): Outcome {
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
function release(s: SessionSnapshot, actor: LifecycleActor, now: Date, windows: Windows): Outcome {
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
function join(s: SessionSnapshot, actor: LifecycleActor, now: Date, windows: Windows): Outcome {
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
function end(s: SessionSnapshot, actor: LifecycleActor, now: Date): Outcome {
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
function deadline(s: SessionSnapshot, actor: LifecycleActor, now: Date): Outcome {
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
function abandon(s: SessionSnapshot, actor: LifecycleActor, now: Date, windows: Windows): Outcome {
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
function forceEnd(s: SessionSnapshot, actor: LifecycleActor, now: Date, reason: string): Outcome {
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

// T14: live → live, the countdown and the deadline moved by the same minutes.
function extend(s: SessionSnapshot, actor: LifecycleActor, minutes: number, extensionId: string, now: Date): Outcome {
  if (isTerminal(s.status)) return closed(s.status);
  if (actor.kind !== 'customer' || actor.userId !== s.customerId) {
    return reject('FORBIDDEN', 'Only the session’s customer can extend it');
  }
  if (s.status !== 'live') return reject('INVALID_TRANSITION', 'Only a live session can be extended');
  // Past the deadline the session is over, whether or not the sweeper has ended it yet.
  if (s.deadlineAt && now.getTime() >= s.deadlineAt.getTime()) {
    return reject('INVALID_TRANSITION', 'The session’s time is up; it can no longer be extended');
  }
  if (!Number.isInteger(minutes) || minutes <= 0) return reject('VALIDATION_FAILED', 'An extension adds whole minutes');
  return {
    kind: 'transition',
    rule: 'T14',
    eventType: 'session.extended',
    changes: {
      status: 'live',
      extendedMinutes: s.extendedMinutes + minutes,
      deadlineAt: s.deadlineAt ? addMs(s.deadlineAt, minutes * 60_000) : null,
    },
    payload: { minutes, extensionId, extendedMinutes: s.extendedMinutes + minutes },
  };
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

function partyOf(s: SessionSnapshot, actor: LifecycleActor): PartyState | null {
  if (actor.kind === 'customer' && actor.userId === s.customerId) return s.customer;
  if (actor.kind === 'mechanic' && s.mechanic && actor.userId === s.mechanic.userId) return s.mechanic;
  return null;
}
