import type { ReactNode } from 'react';
import type { Report, Review, Session } from '../../../shared/contract';
import { formatTime, outcome } from '../../lib/format';
import { Link } from '../../lib/router';
import { MoneySummary } from './money-summary';
import { RatingForm, RatingThanks } from './rating';
import { ReportView } from './report';
import { ratingStep, reportStep } from './ended-steps';

type Role = 'customer' | 'mechanic' | 'admin';

/**
 * An ended session, in the order the customer needs it: what happened (`EndedSummary`: outcome,
 * time, money), then the report (or that it is being written — it arrives live), then the rating,
 * asked once and only after the report, then what to do next (`EndedFollowUp`). The room puts the
 * mechanic's report form between the two, where it stood during the call, so that what they typed
 * survives the end. `documents` and `history` come from the room.
 */
export function EndedFollowUp(props: {
  session: Session;
  role: Role;
  /** The report as loaded (the mechanic also sees their draft); shown once submitted. */
  report: Report | null;
  /** The customer's rating: undefined while unknown (not the customer, or still loading). */
  review: Review | null | undefined;
  now: number;
  onRated: (review: Review) => void;
  onAlreadyRated: () => void;
  /** The report's documents (PDF, receipt, share links), right under it. */
  documents: ReactNode;
  /** Read-only history (the conversation, the vehicle), after the steps. */
  history: ReactNode;
}) {
  const { session, role, report, review, now } = props;
  const hasReport = report?.status === 'submitted';
  const reportAt = reportStep(session, hasReport, now);
  const rating = role === 'customer' ? ratingStep(session, { hasReport, rated: Boolean(review), now }) : 'none';
  return (
    <>
      {role !== 'mechanic' &&
        (reportAt === 'ready' && report ? (
          <ReportView report={report} />
        ) : reportAt === 'writing' || reportAt === 'late' ? (
          <ReportPending late={reportAt === 'late'} ratingWaits={rating === 'after-report'} />
        ) : null)}
      {props.documents}
      {rating === 'done' && review && <RatingThanks review={review} />}
      {rating === 'ask' && review === null && (
        <RatingForm sessionId={session.id} onRated={props.onRated} onAlreadyRated={props.onAlreadyRated} />
      )}
      <WhatNext session={session} role={role} />
      {props.history}
    </>
  );
}

/** What happened: the outcome, when, for how long, and (for the customer) what it cost. */
export function EndedSummary({ session, role }: { session: Session; role: Role }) {
  const booked = session.plannedMinutes + session.extendedMinutes;
  return (
    <section
      aria-labelledby="summary-title"
      data-testid="ended-summary"
      className={`card space-y-3 ${session.status === 'completed' ? 'border-green-300' : ''}`}
    >
      <h2 id="summary-title" className="text-lg font-bold">
        What happened
      </h2>
      <p data-testid="outcome" className="font-medium">
        {outcome(session, role)}
      </p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
        {session.startedAt && (
          <>
            <dt className="text-slate-600">Started</dt>
            <dd>{formatTime(session.startedAt)}</dd>
          </>
        )}
        <dt className="text-slate-600">Ended</dt>
        <dd>{formatTime(session.endedAt)}</dd>
        {session.durationMinutes !== null && (
          <>
            <dt className="text-slate-600">Length</dt>
            <dd data-testid="duration">
              {session.durationMinutes} minute{session.durationMinutes === 1 ? '' : 's'} of the {booked} booked
            </dd>
          </>
        )}
      </dl>
      {role === 'customer' && (
        <MoneySummary sessionId={session.id} version={session.version} endedAt={session.endedAt} />
      )}
    </section>
  );
}

/** The report is on its way: it appears by itself (the room hears `report.submitted`). */
function ReportPending({ late, ratingWaits }: { late: boolean; ratingWaits: boolean }) {
  return (
    <section aria-labelledby="report-pending-title" className="card space-y-2" data-testid="report-pending">
      <h2 id="report-pending-title" className="text-lg font-bold">
        The mechanic’s report
      </h2>
      <p role="status" className="flex items-start gap-2 text-slate-700">
        {!late && <span className="mt-2 h-2.5 w-2.5 shrink-0 animate-pulse rounded-full bg-blue-600" aria-hidden />}
        {late
          ? 'No report yet. The mechanic may still send it: it will appear here, and we will email it to you.'
          : 'The mechanic is writing your report. It appears here as soon as it is ready, and we email it to you.'}
      </p>
      {ratingWaits && <p className="text-sm text-slate-600">You can rate the session once you have read it.</p>}
    </section>
  );
}

/** Where to go from here: for the customer, help again, their garage and receipts. */
function WhatNext({ session, role }: { session: Session; role: Role }) {
  const link = 'btn-secondary min-h-11';
  return (
    <nav aria-label="What next" className="card space-y-3">
      <h2 className="text-lg font-bold">What next</h2>
      {role === 'customer' ? (
        <ul className="flex flex-wrap gap-2">
          <li>
            <Link
              href={session.vehicleId ? `/request?vehicle=${encodeURIComponent(session.vehicleId)}` : '/request'}
              className="btn-primary min-h-11"
            >
              Book again
            </Link>
          </li>
          <li>
            <Link href={session.vehicleId ? `/garage/${session.vehicleId}` : '/garage'} className={link}>
              {session.vehicleId ? 'This car in your garage' : 'Your garage'}
            </Link>
          </li>
          {session.plan !== 'free' && (
            <li>
              <Link href="/receipts" className={link}>
                Your receipts
              </Link>
            </li>
          )}
          <li>
            <Link href="/app" className={link}>
              All your sessions
            </Link>
          </li>
        </ul>
      ) : (
        <ul className="flex flex-wrap gap-2">
          <li>
            <Link href="/app" className="btn-primary min-h-11">
              {role === 'mechanic' ? 'Back to your queue' : 'Back to the dashboard'}
            </Link>
          </li>
          {role === 'mechanic' && (
            <li>
              <Link href="/earnings" className={link}>
                Your earnings
              </Link>
            </li>
          )}
        </ul>
      )}
    </nav>
  );
}
