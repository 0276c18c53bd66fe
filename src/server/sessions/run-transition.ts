import type { Ctx } from '../context.js';
import type { Executor } from '../db/client.js';
import { AppError, uniqueViolation } from '../errors.js';
import type { ParticipantRow, SessionRow } from '../db/schema.js';
import { lockMechanic } from '../mechanics/mechanic.repository.js';
import { enqueueSettlement } from '../payments/enqueue-settlement.js';
import { transition, type LifecycleActor, type LifecycleEvent, type Outcome } from './machine.js';
import {
  appendEvent,
  loadSession,
  compareAndSet,
  toSnapshot,
  type SessionWithParticipants,
} from './session.repository.js';
import { applyParticipantEffect, withParticipantEffect } from './participant.repository.js';

export type TransitionResult = SessionWithParticipants & {
  /** The appended event's id, or null when nothing changed. */
  eventId: number | null;
  alreadyEnded: boolean;
  rule: string;
};

export type TransitionHooks = {
  /** Extra checks on the freshly loaded session, inside the transaction (throw to refuse). */
  guard?: (loaded: SessionWithParticipants, now: Date, tx: Executor) => Promise<void> | void;
  /** More writes that must commit together with the transition (e.g. the admin audit row). */
  onWrite?: (tx: Executor, before: SessionRow, after: SessionRow, now: Date) => Promise<void>;
};

/** The actor, or how to tell it from the session row (a participant's role in this session). */
export type ActorOf = LifecycleActor | ((session: SessionRow) => LifecycleActor);

const MAX_ATTEMPTS = 8;
const LOST_RACE = Symbol('lost race');

/**
 * Runs one lifecycle event as one transaction: load, decide (the pure table), compare-and-set on
 * version, apply the participant effect, append the event, commit. The event row announces itself
 * to realtime at commit (a NOTIFY trigger, migration 0002). A lost
 * compare-and-set means someone else changed the session in between: decide again on what they
 * wrote. That is how 50 concurrent accepts produce one winner and 49 ALREADY_TAKEN, and how an
 * end racing the sweeper produces exactly one terminal event.
 */
export async function runTransition(
  ctx: Ctx,
  sessionId: string,
  event: LifecycleEvent,
  actor: ActorOf,
  hooks: TransitionHooks = {},
): Promise<TransitionResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const result = await attemptTransition(ctx, sessionId, event, actor, hooks);
    if (result === LOST_RACE) continue;
    return result;
  }
  throw new AppError('INTERNAL', 'The session is changing too fast; try again');
}

async function attemptTransition(
  ctx: Ctx,
  sessionId: string,
  event: LifecycleEvent,
  actorOf: ActorOf,
  hooks: TransitionHooks,
): Promise<TransitionResult | typeof LOST_RACE> {
  try {
    return await ctx.db.transaction(async (tx) => {
      const now = ctx.clock.now();
      const loaded = await loadSession(tx, sessionId);
      if (!loaded) throw new AppError('NOT_FOUND', 'No such session');
      // Who acts is decided on the row just read (a participant's role cannot change under us).
      const actor = typeof actorOf === 'function' ? actorOf(loaded.session) : actorOf;
      await hooks.guard?.(loaded, now, tx);
      // A suspended mechanic acts in no session (accept checks approval among its eligibility rules).
      if (actor.kind === 'mechanic' && event.type !== 'accept') {
        const mechanic = await lockMechanic(tx, actor.userId, 'share');
        if (mechanic?.approvalStatus !== 'approved') {
          throw new AppError('FORBIDDEN', 'Your mechanic account is suspended: you cannot act in sessions');
        }
      }
      const outcome: Outcome = transition(toSnapshot(loaded), event, actor, now, ctx.windows);
      if (outcome.kind === 'rejected') throw new AppError(outcome.code, outcome.detail);
      if (outcome.kind === 'unchanged') {
        return {
          ...loaded,
          eventId: null,
          alreadyEnded: outcome.alreadyEnded,
          rule: outcome.rule,
        };
      }
      const updated: SessionRow | undefined = await compareAndSet(
        tx,
        sessionId,
        loaded.session.version,
        outcome.changes,
        now,
      );
      if (!updated) return LOST_RACE;
      if (outcome.participant) await applyParticipantEffect(tx, sessionId, outcome.participant, now);
      const eventId = await appendEvent(tx, {
        sessionId,
        type: outcome.eventType,
        actorId: actor.kind === 'system' ? null : actor.userId,
        actorRole: actor.kind,
        fromStatus: loaded.session.status,
        toStatus: updated.status,
        payload: { rule: outcome.rule, ...outcome.payload },
        createdAt: now,
      });
      // Money follows the lifecycle: the settlement of a paid session commits with its end.
      if (outcome.eventType === 'session.ended') await enqueueSettlement(tx, sessionId, now);
      await hooks.onWrite?.(tx, loaded.session, updated, now);
      const participants: ParticipantRow[] = outcome.participant
        ? withParticipantEffect(loaded.participants, sessionId, outcome.participant, now)
        : loaded.participants;
      return {
        session: updated,
        participants,
        eventId,
        alreadyEnded: false,
        rule: outcome.rule,
      };
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === 'sessions_one_active_per_mechanic_key') {
      throw new AppError('NOT_ELIGIBLE', 'You already have an active session', {
        extra: { reason: 'BUSY' },
      });
    }
    throw error;
  }
}
