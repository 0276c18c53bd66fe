import { useState, type FormEvent } from 'react';
import { admin } from '../../../shared/contract';
import { call, messageOf } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { useEndpoint } from '../../lib/use-endpoint';
import { Field, Notice, PageTitle, Spinner, StatusBadge } from '../../components/ui';
import { AdminShell } from './admin-shell';

export function SessionInspector({ id }: { id: string }) {
  const { data, error, reload } = useEndpoint(admin.inspectSession, { params: { id } });
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const forceEnd = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await call(admin.forceEnd, { params: { id }, body: { reason } });
      setResult('Session ended. The action is in the audit log.');
      void reload();
    } catch (caught) {
      setResult(messageOf(caught));
    }
  };
  return (
    <AdminShell>
      <PageTitle>Session inspector</PageTitle>
      {error && <Notice tone="error">{error.message}</Notice>}
      {!data ? (
        !error && <Spinner />
      ) : (
        <div className="space-y-4">
          <section className="card space-y-1">
            <p className="text-xs text-slate-500">
              {data.session.id} · {data.location.note}
            </p>
            <p className="flex items-center gap-2">
              <StatusBadge status={data.session.status} /> <span>{data.statusExplained}</span>
            </p>
            <p className={`text-sm ${data.deadline.overdue ? 'font-semibold text-red-700' : ''}`}>
              Deadline {formatTime(data.deadline.at)}
              {data.deadline.overdue ? ' (passed)' : ''}: the sweeper will {data.deadline.action}.
            </p>
          </section>
          <section className="card" aria-labelledby="recs">
            <h2 id="recs" className="mb-2 font-bold">
              Recommendations
            </h2>
            <ul className="list-disc space-y-1 pl-5 text-sm">
              {data.recommendations.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </section>
          {data.violations.length > 0 && (
            <Notice tone="error">
              <strong>Invariant violations:</strong>{' '}
              {data.violations.map((v) => `${v.invariant}: ${v.detail}`).join('; ')}
            </Notice>
          )}
          <section className="card" aria-labelledby="people">
            <h2 id="people" className="mb-2 font-bold">
              Participants
            </h2>
            <ul className="space-y-1 text-sm">
              {data.participants.map((p) => (
                <li key={p.userId}>
                  <strong>{p.role}</strong> {p.email} · joined {formatTime(p.joinedAt)} ·{' '}
                  {p.connected ? 'connected' : 'not connected'} · last seen {formatTime(p.lastSeenAt)}
                </li>
              ))}
            </ul>
          </section>
          <section className="card" aria-labelledby="timeline">
            <h2 id="timeline" className="mb-2 font-bold">
              Timeline
            </h2>
            <ol className="space-y-1 text-sm">
              {data.events.map((e) => (
                <li key={e.id}>
                  <span className="text-slate-500">{formatTime(e.createdAt)}</span> {e.type} by {e.actorRole}
                  {e.fromStatus !== e.toStatus ? ` (${e.fromStatus ?? '—'} → ${e.toStatus})` : ''}
                </li>
              ))}
            </ol>
          </section>
          {data.allowedActions.includes('force_end') && (
            <form onSubmit={(e) => void forceEnd(e)} className="card space-y-3" aria-label="Force end">
              <Field
                label="Reason for ending this session (recorded in the audit log)"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                required
              />
              <button className="btn-danger" disabled={!reason.trim()}>
                Force end
              </button>
            </form>
          )}
          {result && <Notice>{result}</Notice>}
        </div>
      )}
    </AdminShell>
  );
}
