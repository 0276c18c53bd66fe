import type { TroubleCodeInfo, VehicleHistory } from '../../../shared/contract';
import { isOpen } from '../../../shared/domain';
import { costRange } from '../../../shared/report-words';
import { formatTime, money, outcome } from '../../lib/format';
import { Link } from '../../lib/router';
import { SeverityBadge, TroubleCodeList } from '../../components/trouble-code-list';
import { Empty, StatusBadge } from '../../components/ui';

type Viewer = { id: string; role: 'customer' | 'mechanic' | 'admin' };

/** Every code the vehicle's sessions saw, once each, the most recent sighting first. */
function codesSeen(history: VehicleHistory): TroubleCodeInfo[] {
  const seen = new Map<string, TroubleCodeInfo>();
  for (const entry of history.sessions)
    for (const code of entry.codes) if (!seen.has(code.code)) seen.set(code.code, code);
  return [...seen.values()];
}

/**
 * A vehicle's service history (vehicles.md §1): open recommendations with their cost ranges, the
 * trouble codes seen, and each session with its report, newest first. The owner reads it on the
 * garage page; the mechanic of one of its sessions, in the session room (`level` 3 there, under
 * the room's own heading). Sessions link to their page for those who may open them.
 */
export function VehicleHistoryView({
  history,
  viewer,
  level = 2,
  currentSessionId,
}: {
  history: VehicleHistory;
  viewer: Viewer;
  level?: 2 | 3;
  /** The session being viewed (in the room): marked, not linked. */
  currentSessionId?: string;
}) {
  const Section = level === 2 ? 'h2' : 'h3';
  const Entry = level === 2 ? 'h3' : 'h4';
  const codes = codesSeen(history);
  const canOpen = (mechanicId: string | null) => viewer.role !== 'mechanic' || mechanicId === viewer.id;
  const withReports = history.sessions.filter((entry) => entry.report).length;

  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-700">
        {history.sessions.length === 0
          ? 'No sessions for this vehicle yet.'
          : `${history.sessions.length} session${history.sessions.length === 1 ? '' : 's'}, ${withReports} with a mechanic’s report.`}
      </p>
      <section className="space-y-2">
        <Section className="text-lg font-bold">Open recommendations</Section>
        {history.openRecommendations.length === 0 ? (
          <Empty>No open recommendations. What mechanics recommend appears here, with what it may cost.</Empty>
        ) : (
          <ul className="space-y-2" aria-label="Open recommendations">
            {history.openRecommendations.map((rec, i) => {
              const cost = costRange(rec.estimatedCostMinCents, rec.estimatedCostMaxCents, money);
              return (
                <li
                  key={`${rec.sessionId}-${i}`}
                  className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-slate-200 bg-white p-3"
                >
                  <div className="min-w-0">
                    <p className="font-medium">{rec.title}</p>
                    <p className="text-xs text-slate-600">Recommended {formatTime(rec.reportedAt)}</p>
                  </div>
                  <div className="flex flex-wrap items-center gap-2">
                    <SeverityBadge severity={rec.urgency} />
                    <span className="text-sm font-semibold" data-testid="cost">
                      {cost ?? 'No estimate'}
                    </span>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section className="space-y-2">
        <Section className="text-lg font-bold">Trouble codes seen</Section>
        {codes.length === 0 ? (
          <Empty>No trouble codes recorded for this vehicle.</Empty>
        ) : (
          <TroubleCodeList infos={codes} label="Trouble codes seen" />
        )}
      </section>
      <section className="space-y-2">
        <Section className="text-lg font-bold">Sessions</Section>
        {history.sessions.length === 0 ? (
          <Empty>Sessions about this vehicle appear here, with the mechanic’s report.</Empty>
        ) : (
          <ol className="space-y-3">
            {history.sessions.map(({ session, report, codes: sessionCodes }) => (
              <li key={session.id} className="space-y-2 rounded-lg border border-slate-200 bg-white p-3 sm:p-4">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Entry className="font-semibold">
                    {formatTime(session.requestedAt)}
                    {session.id === currentSessionId && (
                      <span className="font-normal text-slate-600"> (this session)</span>
                    )}
                  </Entry>
                  <StatusBadge status={session.status} />
                </div>
                <p className="line-clamp-3 text-sm text-slate-700">{session.concern}</p>
                {session.vehicle.mileage !== undefined && (
                  <p className="text-xs text-slate-600">At {session.vehicle.mileage.toLocaleString('en-US')} miles</p>
                )}
                <TroubleCodeList infos={sessionCodes} label={`Trouble codes, ${formatTime(session.requestedAt)}`} />
                {report ? (
                  <div className="space-y-1 rounded-lg bg-slate-50 p-3">
                    <p className="flex flex-wrap items-center gap-2 text-sm font-semibold">
                      Mechanic’s report <SeverityBadge severity={report.severity} />
                    </p>
                    <p className="text-sm">{report.summary}</p>
                  </div>
                ) : (
                  !isOpen(session.status) && <p className="text-sm text-slate-600">{outcome(session, viewer.role)}</p>
                )}
                {session.id !== currentSessionId && canOpen(session.mechanicId) && (
                  <Link href={`/sessions/${session.id}`} className="inline-block text-sm text-blue-800 underline">
                    Open this session<span className="sr-only"> of {formatTime(session.requestedAt)}</span>
                  </Link>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
