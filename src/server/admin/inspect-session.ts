import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { findUsersByIds } from '../accounts/account.repository.js';
import { isTerminal, promisedEnd } from '../sessions/machine.js';
import { toEventDto, toSessionDto } from '../sessions/session.dto.js';
import { listEvents, loadSession } from '../sessions/session.repository.js';
import { findViolations } from './invariants.repository.js';

type Loaded = NonNullable<Awaited<ReturnType<typeof loadSession>>>;
type Deadline = {
  at: string | null;
  overdue: boolean;
  /** The end of the sentence "the sweeper will …". */
  action: string;
  countdownEndsAt: string | null;
  abandonAt: string | null;
};

/**
 * Everything an operator needs about one session in one answer: where it lives, what state it is
 * in and why, who is in it, what happened, what the sweeper will do next, what is wrong, and what
 * to do about it. Replaces the old `check-session` debug endpoint. Every text is a sentence a
 * person reads (the console shows them as they are); codes stay in the structured fields.
 */
export async function inspectSession(ctx: Ctx, sessionId: string, sweepIntervalMs: number) {
  const loaded = await loadSession(ctx.db, sessionId);
  if (!loaded) throw new AppError('NOT_FOUND', 'No session with this id (sessions live in one table: `sessions`)');
  const { session, participants } = loaded;
  const now = ctx.clock.now();
  const [events, violations, users] = await Promise.all([
    listEvents(ctx.db, sessionId, 0, 500),
    findViolations(ctx.db, { now, sweepIntervalMs, sessionId, noShowFeePercent: ctx.payments.noShowFeePercent }),
    findUsersByIds(
      ctx.db,
      participants.map((p) => p.userId),
    ),
  ]);
  const people = participants.map((p) => {
    const user = users.get(p.userId);
    return {
      userId: p.userId,
      role: p.role,
      email: user?.email ?? null,
      name: user?.name ?? null,
      joinedAt: p.joinedAt?.toISOString() ?? null,
      lastSeenAt: p.lastSeenAt?.toISOString() ?? null,
      connected: p.connected,
      secondsSinceSeen: p.lastSeenAt ? Math.round((now.getTime() - p.lastSeenAt.getTime()) / 1000) : null,
    };
  });
  const deadline = describeDeadline(loaded, now, ctx.windows.abandonSeconds);
  const recommendations: string[] = [];
  if (violations.length > 0) {
    const broken = [...new Set(violations.map((v) => v.invariant))];
    recommendations.push(
      `This session breaks ${broken.length === 1 ? 'invariant' : 'invariants'} ${listWords(broken)} (see the violations). ` +
        'Repair it with an audited admin action such as force end, never by editing rows.',
    );
  }
  if (deadline.overdue) {
    recommendations.push(
      `The deadline passed ${duration((now.getTime() - Date.parse(deadline.at!)) / 1000)} ago. The sweeper runs every ` +
        `${Math.round(sweepIntervalMs / 1000)} s and will ${deadline.action}. If it stays overdue, check that a server ` +
        'process is running and look in its logs for "sweep failed".',
    );
  }
  if (session.status === 'pending') {
    recommendations.push(
      'Waiting for a mechanic. The mechanic inspector shows who can see this request and which rule hides it from the others.',
    );
  }
  if (session.status === 'accepted') {
    const missing = people.filter((p) => !p.joinedAt).map((p) => `the ${p.role}`);
    if (missing.length > 0) {
      recommendations.push(
        `Waiting for ${listWords(missing)} to join; if the join window passes first, it ends as a no-show.`,
      );
    }
  }
  if (!isTerminal(session.status)) {
    recommendations.push('An admin can force-end it with a reason; the reason is recorded in the audit log.');
  } else {
    recommendations.push('Nothing to do: the session has ended, and its history stays readable.');
  }

  return {
    location: { table: 'sessions', note: 'There is one session table; this id resolves nowhere else.' },
    session: toSessionDto(session, participants),
    statusExplained: explainStatus(session),
    participants: people,
    events: events.map(toEventDto),
    deadline,
    violations,
    allowedActions: isTerminal(session.status) ? [] : ['force_end'],
    recommendations,
  };
}

function describeDeadline({ session, participants }: Loaded, now: Date, abandonSeconds: number): Deadline {
  const at = session.deadlineAt;
  const overdue = Boolean(at && at.getTime() <= now.getTime() && !isTerminal(session.status));
  const base = { at: at?.toISOString() ?? null, overdue, countdownEndsAt: null, abandonAt: null };
  switch (session.status) {
    case 'pending':
      return { ...base, action: 'expire it, because no mechanic accepted in time (T4)' };
    case 'accepted': {
      const missing = participants.filter((p) => !p.joinedAt).map((p) => p.role);
      const party = missing.length === 2 ? 'both sides' : missing[0] ? `the ${missing[0]}` : 'whoever has not joined';
      return { ...base, action: `end it as a no-show by ${party} (T9)` };
    }
    case 'live': {
      const countdown = promisedEnd(session.startedAt!, session.plannedMinutes, session.extendedMinutes);
      const lastSeen = Math.max(...participants.map((p) => p.lastSeenAt?.getTime() ?? 0));
      return {
        ...base,
        countdownEndsAt: countdown.toISOString(),
        abandonAt: new Date(lastSeen + abandonSeconds * 1000).toISOString(),
        action:
          'complete it when its time runs out (T11), or earlier, as abandoned, if both participants stay away ' +
          `for ${duration(abandonSeconds)} (T12)`,
      };
    }
    default:
      return { ...base, at: null, overdue: false, action: 'do nothing more: the session has ended' };
  }
}

const ENDED_BY: Record<string, string> = {
  customer: 'the customer',
  mechanic: 'the mechanic',
  system: 'the sweeper',
  admin: 'an admin',
};

function explainStatus(session: Loaded['session']): string {
  const by = ENDED_BY[session.endedBy ?? ''] ?? 'someone';
  switch (session.status) {
    case 'pending':
      return 'Requested; no mechanic has accepted it yet.';
    case 'accepted':
      return 'A mechanic accepted; waiting for both to join.';
    case 'live':
      return 'Both joined; the session is running.';
    case 'completed':
      switch (session.endReason) {
        case 'time_limit':
          return 'Completed: its time ran out.';
        case 'abandoned':
          return 'Completed: both participants left and did not come back.';
        case 'admin':
          return 'Completed: an admin force-ended it.';
        default:
          return `Completed: ${by} ended it.`;
      }
    case 'cancelled':
      switch (session.endReason) {
        case 'cancelled_before_accept':
          return 'Cancelled: the customer withdrew the request before a mechanic accepted.';
        case 'admin':
          return 'Cancelled: an admin force-ended it before it started.';
        default:
          return `Cancelled by ${by} before the session started.`;
      }
    case 'no_show': {
      const who = session.noShowParty === 'both' ? 'Neither side' : `The ${session.noShowParty}`;
      const verb = session.noShowParty === 'both' ? 'joined' : 'did not join';
      const closed = session.endReason === 'join_window_passed' ? 'the sweeper closed it' : `${by} ended it`;
      return `Missed: ${who.toLowerCase()} ${verb} in time, and ${closed}.`;
    }
    case 'expired':
      return 'Expired: no mechanic accepted it in time.';
    default:
      return `Ended (${session.status}).`;
  }
}

/** ["I2", "I5", "I6"] → "I2, I5 and I6". */
function listWords(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** 45 → "45 seconds", 960 → "16 minutes", 7200 → "2 hours". */
function duration(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds < 90) return plural(Math.round(seconds), 'second');
  if (seconds < 90 * 60) return plural(Math.round(seconds / 60), 'minute');
  return plural(Math.round(seconds / 3600), 'hour');
}
