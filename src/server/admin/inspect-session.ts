import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { findUserById } from '../accounts/account.repository.js';
import { isTerminal, promisedEnd } from '../sessions/machine.js';
import { toEventDto, toSessionDto } from '../sessions/session.dto.js';
import { listEvents, loadSession } from '../sessions/session.repository.js';
import { findViolations } from './invariants.repository.js';

type Deadline = { at: string | null; overdue: boolean; action: string };

/**
 * Everything an operator needs about one session in one answer: where it lives, what state it is
 * in and why, who is in it, what happened, what the sweeper will do next, what is wrong, and what
 * to do about it. Replaces the old `check-session` debug endpoint.
 */
export async function inspectSession(ctx: Ctx, sessionId: string, sweepIntervalMs: number) {
  const loaded = await loadSession(ctx.db, sessionId);
  if (!loaded) throw new AppError('NOT_FOUND', 'No session with this id (sessions live in one table: `sessions`)');
  const { session, participants } = loaded;
  const now = ctx.clock.now();
  const [events, violations] = await Promise.all([
    listEvents(ctx.db, sessionId, 0, 500),
    findViolations(ctx.db, { now, sweepIntervalMs, sessionId, noShowFeePercent: ctx.payments.noShowFeePercent }),
  ]);
  const people = await Promise.all(
    participants.map(async (p) => {
      const user = await findUserById(ctx.db, p.userId);
      return {
        userId: p.userId,
        role: p.role,
        email: user?.email ?? null,
        joinedAt: p.joinedAt?.toISOString() ?? null,
        lastSeenAt: p.lastSeenAt?.toISOString() ?? null,
        connected: p.connected,
        secondsSinceSeen: p.lastSeenAt ? Math.round((now.getTime() - p.lastSeenAt.getTime()) / 1000) : null,
      };
    }),
  );
  const deadline = describeDeadline(session, participants, now, ctx.windows.abandonSeconds);
  const recommendations: string[] = [];
  if (violations.length > 0) {
    recommendations.push(
      `This session breaks ${[...new Set(violations.map((v) => v.invariant))].join(', ')}; see violations. ` +
        'Repair with an audited admin action (force-end) rather than by editing rows.',
    );
  }
  if (deadline.overdue) {
    recommendations.push(
      `The deadline passed ${Math.round((now.getTime() - Date.parse(deadline.at!)) / 1000)} s ago; the sweeper runs every ` +
        `${Math.round(sweepIntervalMs / 1000)} s and will ${deadline.action}. If it stays overdue, check that a server process is running and its logs for "sweep failed".`,
    );
  }
  if (session.status === 'pending') {
    recommendations.push(
      'Waiting for a mechanic. Use the mechanic inspector to see who can see it and which rule hides it from the others.',
    );
  }
  if (session.status === 'accepted') {
    const missing = people.filter((p) => !p.joinedAt).map((p) => p.role);
    recommendations.push(`Waiting for ${missing.join(' and ')} to join; at the deadline it becomes a no-show.`);
  }
  if (!isTerminal(session.status)) recommendations.push('An admin may force-end it with a reason (audited).');
  else recommendations.push(`Closed (${session.status}, ${session.endReason ?? 'no reason'}); history stays readable.`);

  return {
    location: { table: 'sessions', note: 'There is one session table; this id resolves nowhere else.' },
    session: toSessionDto(session, participants),
    statusExplained: explainStatus(session.status, session.endReason, session.noShowParty),
    participants: people,
    events: events.map(toEventDto),
    deadline,
    violations,
    allowedActions: isTerminal(session.status) ? [] : ['force_end'],
    recommendations,
  };
}

function describeDeadline(
  session: NonNullable<Awaited<ReturnType<typeof loadSession>>>['session'],
  participants: NonNullable<Awaited<ReturnType<typeof loadSession>>>['participants'],
  now: Date,
  abandonSeconds: number,
): Deadline {
  const at = session.deadlineAt;
  const overdue = Boolean(at && at.getTime() <= now.getTime() && !isTerminal(session.status));
  const iso = at?.toISOString() ?? null;
  switch (session.status) {
    case 'pending':
      return { at: iso, overdue, action: 'expire it (T4, no_mechanic_available)' };
    case 'accepted': {
      const missing = participants.filter((p) => !p.joinedAt).map((p) => p.role);
      const party = missing.length === 2 ? 'both' : (missing[0] ?? 'nobody');
      return { at: iso, overdue, action: `end it as a no-show of ${party} (T9)` };
    }
    case 'live': {
      const countdown = promisedEnd(session.startedAt!, session.plannedMinutes, session.extendedMinutes);
      const abandonAt = Math.max(...participants.map((p) => p.lastSeenAt?.getTime() ?? 0)) + abandonSeconds * 1000;
      return {
        at: iso,
        overdue,
        action:
          `complete it (T11, time_limit; the countdown shown ends ${countdown.toISOString()}), ` +
          `or earlier as abandoned (T12) if neither participant is seen before ${new Date(abandonAt).toISOString()}`,
      };
    }
    default:
      return { at: null, overdue: false, action: 'nothing: the session has ended' };
  }
}

function explainStatus(status: string, endReason: string | null, noShowParty: string | null): string {
  switch (status) {
    case 'pending':
      return 'Requested; no mechanic has accepted it yet.';
    case 'accepted':
      return 'A mechanic accepted; waiting for both to join.';
    case 'live':
      return 'Both joined; the session is running.';
    case 'no_show':
      return `Ended because ${noShowParty === 'both' ? 'neither side' : `the ${noShowParty}`} joined in time (${endReason}).`;
    default:
      return `Ended as ${status} (${endReason ?? 'no reason recorded'}).`;
  }
}
