import { admin } from '../../../shared/contract';
import { loadSentence } from '../../lib/form-errors';
import { Link } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Notice, PageTitle, Spinner } from '../../components/ui';
import { AdminShell } from './admin-shell';

export function Invariants() {
  const { data, error, reload } = useEndpoint(admin.invariants, {});
  return (
    <AdminShell>
      <PageTitle
        action={
          <button className="btn-secondary" onClick={() => void reload()}>
            Run again
          </button>
        }
      >
        Invariants
      </PageTitle>
      {error && <Notice tone="error">{loadSentence('The invariants could not be checked.', error)}</Notice>}
      {!data ? (
        <Spinner />
      ) : data.ok ? (
        <Notice tone="success">All invariants hold (I1–I7).</Notice>
      ) : (
        <ul className="space-y-1 text-sm">
          {data.violations.map((v, i) => (
            <li key={i}>
              <strong>{v.invariant}</strong>{' '}
              {v.sessionId && (
                <Link className="underline" href={`/admin/sessions/${v.sessionId}`}>
                  {v.sessionId.slice(0, 8)}
                </Link>
              )}{' '}
              {v.detail}
            </li>
          ))}
        </ul>
      )}
    </AdminShell>
  );
}
