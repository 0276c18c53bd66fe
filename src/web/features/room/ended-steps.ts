import type { Session } from '../../../shared/contract';

/**
 * How long the ended screen waits for the mechanic's report before it asks for a rating anyway: a
 * report is usually written in the minutes after the call, and a customer who never gets one
 * should still be able to say so.
 */
export const REPORT_WAIT_MINUTES = 30;

type Ended = Pick<Session, 'status' | 'startedAt' | 'endedAt'>;

const waitedLongEnough = (session: Ended, now: number) =>
  session.endedAt !== null && now - Date.parse(session.endedAt) >= REPORT_WAIT_MINUTES * 60_000;

/**
 * Where the report stands for the customer: none will come for a session that never started
 * (reports are only for sessions that were live); `writing` while the mechanic is on it; `late`
 * once the wait is over and still nothing came.
 */
export function reportStep(session: Ended, hasReport: boolean, now: number): 'none' | 'ready' | 'writing' | 'late' {
  if (!session.startedAt) return 'none';
  if (hasReport) return 'ready';
  return waitedLongEnough(session, now) ? 'late' : 'writing';
}

/**
 * Where the rating stands: asked once, after the report (or after the wait), only for completed
 * sessions (the server refuses the others); `done` once given, also after a reload.
 */
export function ratingStep(
  session: Ended,
  input: { hasReport: boolean; rated: boolean; now: number },
): 'none' | 'after-report' | 'ask' | 'done' {
  if (session.status !== 'completed') return 'none';
  if (input.rated) return 'done';
  if (input.hasReport || waitedLongEnough(session, input.now)) return 'ask';
  return 'after-report';
}
