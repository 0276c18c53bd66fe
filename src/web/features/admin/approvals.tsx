import { admin } from '../../../shared/contract';
import { call, messageOf } from '../../lib/api';
import { useEndpoint } from '../../lib/use-endpoint';
import { Notice, PageTitle, Spinner } from '../../components/ui';
import { AdminShell } from './admin-shell';

export function Approvals() {
  const { data, error, reload } = useEndpoint(admin.mechanics, {});
  const act = async (action: typeof admin.approve, userId: string, extra: { value?: boolean } = {}) => {
    const reason = prompt('Reason (recorded in the audit log)');
    if (!reason) return;
    await call(action, { params: { userId }, body: { reason, ...extra } }).catch((e: unknown) => alert(messageOf(e)));
    void reload();
  };
  return (
    <AdminShell>
      <PageTitle>Mechanics and approvals</PageTitle>
      {error && <Notice tone="error">{error.message}</Notice>}
      {!data ? (
        <Spinner />
      ) : (
        <ul className="space-y-2">
          {data.items.map((m) => (
            <li key={m.userId} className="card flex flex-wrap items-center justify-between gap-2 text-sm">
              <span>
                <strong>{m.displayName}</strong> · {m.email} · {m.serviceTier} · {m.approvalStatus}
                {m.canAcceptSessions ? '' : ' · accepting paused'}
              </span>
              <span className="flex gap-2">
                {m.approvalStatus !== 'approved' && (
                  <button className="btn-primary" onClick={() => void act(admin.approve, m.userId)}>
                    Approve
                  </button>
                )}
                {m.approvalStatus !== 'suspended' && (
                  <button className="btn-secondary" onClick={() => void act(admin.suspend, m.userId)}>
                    Suspend
                  </button>
                )}
                <button
                  className="btn-secondary"
                  onClick={() => void act(admin.canAccept, m.userId, { value: !m.canAcceptSessions })}
                >
                  {m.canAcceptSessions ? 'Pause accepting' : 'Allow accepting'}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </AdminShell>
  );
}
