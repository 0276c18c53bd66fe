import { admin } from '../../../shared/contract';
import { formatTime } from '../../lib/format';
import { loadSentence } from '../../lib/form-errors';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Notice, PageTitle, Spinner } from '../../components/ui';
import { AdminShell } from './admin-shell';

export function Audit() {
  const { data, error } = useEndpoint(admin.audit, { query: { limit: 100 } });
  return (
    <AdminShell>
      <PageTitle>Audit log</PageTitle>
      {error && <Notice tone="error">{loadSentence('The audit log could not be loaded.', error)}</Notice>}
      {!data ? (
        <Spinner />
      ) : data.items.length === 0 ? (
        <Empty>No admin actions yet.</Empty>
      ) : (
        <ul className="space-y-1 text-sm">
          {data.items.map((a) => (
            <li key={a.id}>
              <span className="text-slate-500">{formatTime(a.createdAt)}</span> <strong>{a.action}</strong>{' '}
              {a.targetType} {a.targetId.slice(0, 8)} — “{a.reason}”
            </li>
          ))}
        </ul>
      )}
    </AdminShell>
  );
}
