import { useState } from 'react';
import { admin } from '../../../shared/contract';
import { isOpen, SESSION_STATUSES, type SessionStatus } from '../../../shared/domain';
import { formatTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Notice, PageTitle, Select, Spinner, StatusBadge } from '../../components/ui';
import { AdminShell } from './admin-shell';

export function AdminSessions() {
  const [status, setStatus] = useState<SessionStatus | ''>('');
  const [stuck, setStuck] = useState(false);
  const { data, error } = useEndpoint(admin.sessions, {
    query: { limit: 100, ...(status ? { status } : {}), ...(stuck ? { stuck: 'true' } : {}) },
  });
  const now = Date.now();
  return (
    <AdminShell>
      <PageTitle>Sessions</PageTitle>
      <div className="flex flex-wrap items-end gap-3">
        <Select
          label="Status"
          value={status}
          onChange={(e) => setStatus(SESSION_STATUSES.find((s) => s === e.target.value) ?? '')}
        >
          <option value="">Any</option>
          {SESSION_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </Select>
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" checked={stuck} onChange={(e) => setStuck(e.target.checked)} /> Only past their
          deadline
        </label>
      </div>
      {error && <Notice tone="error">{error.message}</Notice>}
      {!data ? (
        <Spinner />
      ) : data.items.length === 0 ? (
        <Empty>No sessions match.</Empty>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b">
                <th className="p-2">Requested</th>
                <th className="p-2">Status</th>
                <th className="p-2">Vehicle</th>
                <th className="p-2">Plan</th>
                <th className="p-2">Deadline</th>
                <th className="p-2" />
              </tr>
            </thead>
            <tbody>
              {data.items.map((s) => {
                const overdue = s.deadlineAt && Date.parse(s.deadlineAt) < now && isOpen(s.status);
                return (
                  <tr key={s.id} className={`border-b ${overdue ? 'bg-red-50' : ''}`}>
                    <td className="p-2">{formatTime(s.requestedAt)}</td>
                    <td className="p-2">
                      <StatusBadge status={s.status} />
                      {overdue && <span className="ml-2 text-xs font-bold text-red-700">PAST DEADLINE</span>}
                    </td>
                    <td className="p-2">
                      {s.vehicle.make} {s.vehicle.model}
                    </td>
                    <td className="p-2">{s.plan}</td>
                    <td className="p-2">{formatTime(s.deadlineAt)}</td>
                    <td className="p-2">
                      <Link href={`/admin/sessions/${s.id}`} className="underline">
                        Inspect
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </AdminShell>
  );
}
