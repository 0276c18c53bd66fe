import { documents } from '../../../shared/contract';
import { SERVICE_TIER_LABEL } from '../../../shared/report-words';
import { urlOf } from '../../lib/api';
import { loadSentence } from '../../lib/form-errors';
import { formatTime } from '../../lib/format';
import { useEndpoint } from '../../lib/use-endpoint';
import { Notice, Spinner } from '../../components/ui';
import { ReportView } from '../room/report';

/**
 * `/r/:token`: a mechanic's report shared by the car's owner, for someone without an account
 * (notifications.md §5). Read-only, no sign-in; the link's holder sees the report and nothing
 * about the owner.
 */
export function SharedReportPage({ token }: { token: string }) {
  const shared = useEndpoint(documents.sharedReport, { params: { token } });
  if (shared.error) {
    return (
      <div className="mx-auto max-w-lg">
        <Notice tone={shared.error.status === 404 ? 'warning' : 'error'}>
          {loadSentence('The report could not be loaded.', shared.error, {
            NOT_FOUND:
              'This link does not work: it may have expired or been revoked. Ask the owner of the car for a new one.',
          })}
        </Notice>
      </div>
    );
  }
  if (!shared.data) return <Spinner label="Loading the report…" />;
  const { vehicle, mechanic, report } = shared.data;
  const details = [
    vehicle.trim,
    vehicle.engine,
    vehicle.mileage !== undefined ? `${vehicle.mileage.toLocaleString()} miles` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <header className="card flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-xs font-semibold uppercase tracking-wide text-blue-800">Shared mechanic’s report</p>
          <h1 className="mt-1 text-2xl font-bold tracking-tight">
            {vehicle.year} {vehicle.make} {vehicle.model}
          </h1>
          {details && <p className="text-sm text-slate-600">{details}</p>}
          <p className="mt-2 text-sm text-slate-700">
            By {mechanic.displayName} · {SERVICE_TIER_LABEL[mechanic.tier]}
            {mechanic.workshop && ` at ${mechanic.workshop.name}, ${mechanic.workshop.city}`}
            {shared.data.endedAt && ` · ${formatTime(shared.data.endedAt)}`}
          </p>
        </div>
        <a className="btn-primary" href={urlOf(documents.sharedReportPdf, { params: { token } })} download>
          Download PDF
        </a>
      </header>
      {report.severity === 'unsafe_to_drive' && (
        <Notice tone="error">
          <strong>Do not drive this car.</strong> The mechanic judged it unsafe to drive until the problem is fixed.
        </Notice>
      )}
      <section className="card" aria-labelledby="concern-title">
        <h2 id="concern-title" className="text-sm font-semibold text-slate-600">
          What the owner asked about
        </h2>
        <p className="mt-1 whitespace-pre-wrap">{shared.data.concern}</p>
      </section>
      <ReportView report={report} signedBy={{ displayName: mechanic.displayName, serviceTier: mechanic.tier }} />
      {report.troubleCodes.length > 0 && (
        <p className="text-sm text-slate-700">
          Trouble codes confirmed by the mechanic: <span className="font-mono">{report.troubleCodes.join(', ')}</span>
        </p>
      )}
      <p className="text-xs text-slate-500">
        Shared by the car’s owner through AutoDoctor. This link works until {formatTime(shared.data.expiresAt)}. The
        report is the mechanic’s assessment from a remote session, not an in-person inspection.
      </p>
    </div>
  );
}
