import { useState } from 'react';
import { admin, type AdminSessionItem } from '../../../shared/contract';
import { isOpen, SESSION_STATUSES, type SessionStatus } from '../../../shared/domain';
import { formatCents } from '../../lib/cents';
import { formatTime, STATUS_LABEL } from '../../lib/format';
import { Link, usePath } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Notice, PageTitle, Select, Spinner, StatusBadge } from '../../components/ui';
import { AdminShell } from './admin-shell';
import { PAYMENT_STATUS_LABEL } from './money-labels';

export function AdminSessions() {
  // One person's sessions, from the people search (`?customerId=` or `?mechanicId=`).
  const params = new URLSearchParams(usePath().split('?')[1] ?? '');
  const customerId = params.get('customerId') ?? '';
  const mechanicId = params.get('mechanicId') ?? '';
  const [status, setStatus] = useState<SessionStatus | ''>('');
  const [stuck, setStuck] = useState(false);
  const { data, error } = useEndpoint(admin.sessions, {
    query: {
      limit: 100,
      ...(status ? { status } : {}),
      ...(stuck ? { stuck: 'true' } : {}),
      ...(customerId ? { customerId } : {}),
      ...(mechanicId ? { mechanicId } : {}),
    },
  });
  const now = Date.now();
  const first = data?.items[0];
  const whose = customerId ? first?.customer : mechanicId ? first?.mechanic : undefined;
  return (
    <AdminShell>
      <PageTitle>Sessions</PageTitle>
      {(customerId || mechanicId) && (
        <Notice>
          Only the sessions of {whose ? `${whose.name} (${whose.email})` : 'one person'}.{' '}
          <Link href="/app" className="font-semibold underline">
            Show everyone’s
          </Link>
        </Notice>
      )}
      <div className="flex flex-wrap items-end gap-3">
        <Select
          label="Status"
          value={status}
          onChange={(e) => setStatus(SESSION_STATUSES.find((s) => s === e.target.value) ?? '')}
        >
          <option value="">Any</option>
          {SESSION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </Select>
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" checked={stuck} onChange={(e) => setStuck(e.target.checked)} /> Only past their
          deadline
        </label>
      </div>
      {error && <Notice tone="error">The sessions could not be loaded. Refresh to try again.</Notice>}
      {!data ? (
        !error && <Spinner />
      ) : data.items.length === 0 ? (
        <Empty>No sessions match.</Empty>
      ) : (
        <>
          <ul className="space-y-3 md:hidden" aria-label="Sessions">
            {data.items.map((s) => (
              <SessionCard key={s.id} session={s} overdue={isOverdue(s, now)} />
            ))}
          </ul>
          <div className="hidden overflow-x-auto rounded-xl border border-slate-200 bg-white md:block">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-50 text-slate-600">
                <tr>
                  <th scope="col" className="p-3 font-medium">
                    Requested
                  </th>
                  <th scope="col" className="p-3 font-medium">
                    Status
                  </th>
                  <th scope="col" className="p-3 font-medium">
                    Customer
                  </th>
                  <th scope="col" className="p-3 font-medium">
                    Mechanic
                  </th>
                  <th scope="col" className="p-3 font-medium">
                    Vehicle
                  </th>
                  <th scope="col" className="p-3 text-right font-medium">
                    Price
                  </th>
                  <th scope="col" className="p-3">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((s) => {
                  const overdue = isOverdue(s, now);
                  return (
                    <tr
                      key={s.id}
                      data-session-id={s.id}
                      className={`border-t border-slate-100 ${overdue ? 'bg-red-50' : ''}`}
                    >
                      <td className="whitespace-nowrap p-3">{formatTime(s.requestedAt)}</td>
                      <td className="p-3">
                        <StatusBadge status={s.status} />
                        {overdue && (
                          <span className="mt-1 block text-xs font-bold text-red-700">
                            Past its deadline ({formatTime(s.deadlineAt)})
                          </span>
                        )}
                      </td>
                      <td className="p-3">
                        <Person person={s.customer} />
                      </td>
                      <td className="p-3">
                        {s.mechanic ? <Person person={s.mechanic} /> : <span className="text-slate-500">Not yet</span>}
                      </td>
                      <td className="p-3">
                        {s.vehicle.year} {s.vehicle.make} {s.vehicle.model}
                      </td>
                      <td className="whitespace-nowrap p-3 text-right">
                        <Price session={s} />
                      </td>
                      <td className="whitespace-nowrap p-3 text-right">
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
        </>
      )}
    </AdminShell>
  );
}

const isOverdue = (s: AdminSessionItem, now: number) =>
  Boolean(s.deadlineAt && Date.parse(s.deadlineAt) < now && isOpen(s.status));

/** A session on a phone: the table's columns, stacked. */
function SessionCard({ session: s, overdue }: { session: AdminSessionItem; overdue: boolean }) {
  return (
    <li className={`card space-y-2 text-sm ${overdue ? 'border-red-300 bg-red-50' : ''}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <StatusBadge status={s.status} />
        <span className="text-xs text-slate-600">{formatTime(s.requestedAt)}</span>
      </div>
      {overdue && <p className="text-xs font-bold text-red-700">Past its deadline ({formatTime(s.deadlineAt)})</p>}
      <p className="font-semibold">
        {s.vehicle.year} {s.vehicle.make} {s.vehicle.model}
      </p>
      <dl className="grid grid-cols-[5.5rem_1fr] gap-x-3 gap-y-1">
        <dt className="text-slate-600">Customer</dt>
        <dd className="min-w-0">
          <Person person={s.customer} />
        </dd>
        <dt className="text-slate-600">Mechanic</dt>
        <dd className="min-w-0">
          {s.mechanic ? <Person person={s.mechanic} /> : <span className="text-slate-500">Not yet</span>}
        </dd>
        <dt className="text-slate-600">Price</dt>
        <dd>
          <Price session={s} />
        </dd>
      </dl>
      <Link href={`/admin/sessions/${s.id}`} className="btn-secondary w-full">
        Inspect
      </Link>
    </li>
  );
}

function Person({ person }: { person: { name: string; email: string } }) {
  return (
    <>
      <span className="block max-w-48 truncate font-medium" title={person.name}>
        {person.name}
      </span>
      <span className="block max-w-48 truncate text-xs text-slate-500" title={person.email}>
        {person.email}
      </span>
    </>
  );
}

/** The plan and its price, and where the money stands (held, charged, released). */
function Price({ session }: { session: AdminSessionItem }) {
  const { price } = session;
  const charged =
    price.chargedCents > 0
      ? `Charged ${formatCents(price.chargedCents, price.currency)}${price.refundedCents > 0 ? `, ${formatCents(price.refundedCents, price.currency)} refunded` : ''}`
      : price.paymentStatus
        ? PAYMENT_STATUS_LABEL[price.paymentStatus]
        : null;
  return (
    <>
      <span className="block font-medium tabular-nums">
        {price.cents === 0 ? 'Free' : formatCents(price.cents, price.currency)}
      </span>
      <span className="block text-xs text-slate-500">{price.planName}</span>
      {charged && <span className="block text-xs text-slate-500">{charged}</span>}
    </>
  );
}
