import type { ErrorCode } from '../errors.js';
import type { SessionStatus } from '../../shared/domain.js';

/*
 * The vocabulary of the lifecycle table (machine.ts): what a transition reads (a snapshot), who
 * acts, which events exist, and what a decision is made of.
 */

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
export type LifecycleActor =
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
  | { type: 'force_end'; reason: string }
  /** T14: the customer's paid extension, applied only after its charge succeeded. */
  | { type: 'extend'; minutes: number; extensionId: string };

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
  extendedMinutes?: number;
};

export type ParticipantEffect =
  | { type: 'add_mechanic'; userId: string }
  | { type: 'remove_mechanic'; userId: string }
  | { type: 'mark_joined'; userId: string };

export type EventType =
  'session.accepted' | 'session.released' | 'session.joined' | 'session.started' | 'session.ended' | 'session.extended';

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
