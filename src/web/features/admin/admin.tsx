import { useState, type FormEvent, type ReactNode } from 'react';
import { accounts, admin } from '../../../shared/contract';
import { SESSION_STATUSES, type SessionStatus } from '../../../shared/domain';
import { call, messageOf } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { Link, navigate, usePath } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Field, Notice, PageTitle, Select, Spinner, StatusBadge } from '../../components/ui';

const TABS = [
  ['/app', 'Sessions'],
  ['/admin/mechanics', 'Mechanic inspector'],
  ['/admin/approvals', 'Approvals'],
  ['/admin/workshops', 'Workshops'],
  ['/admin/invariants', 'Invariants'],
  ['/admin/audit', 'Audit log'],
] as const;

export function AdminShell({ children }: { children: ReactNode }) {
  const path = usePath().split('?')[0];
  return (
    <div className="space-y-6">
      <nav aria-label="Operations" className="flex flex-wrap gap-2">
        {TABS.map(([href, label]) => (
          <Link
            key={href}
            href={href}
            aria-current={path === href ? 'page' : undefined}
            className={`rounded-full px-3 py-1 text-sm ${path === href ? 'bg-blue-700 text-white' : 'bg-white text-slate-700 ring-1 ring-slate-200'}`}
          >
            {label}
          </Link>
        ))}
      </nav>
      {children}
    </div>
  );
}

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
                const overdue =
                  s.deadlineAt && Date.parse(s.deadlineAt) < now && ['pending', 'accepted', 'live'].includes(s.status);
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

export function MechanicInspector() {
  const path = usePath();
  const email = new URLSearchParams(path.split('?')[1] ?? '').get('email') ?? '';
  const [input, setInput] = useState(email);
  return (
    <AdminShell>
      <PageTitle>Mechanic inspector</PageTitle>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => (e.preventDefault(), navigate(`/admin/mechanics?email=${encodeURIComponent(input)}`))}
      >
        <div className="min-w-64 flex-1">
          <Field label="Mechanic email" type="email" value={input} onChange={(e) => setInput(e.target.value)} />
        </div>
        <button className="btn-primary">Inspect</button>
      </form>
      {email && <MechanicFindings key={email} email={email} />}
    </AdminShell>
  );
}

/** What the inspector found for one email; another email is another inspection, so nothing of this one stays. */
function MechanicFindings({ email }: { email: string }) {
  const { data, error } = useEndpoint(admin.inspectMechanic, { query: { email } });
  return (
    <>
      {error && <Notice tone="error">{error.message}</Notice>}
      {data && (
        <div className="space-y-4">
          <section className="card space-y-1 text-sm">
            <p className="font-semibold">
              {data.user.name} · {data.user.email} · role {data.user.role} · auth linked{' '}
              {data.authLinked ? 'yes' : 'NO'}
            </p>
            {data.mechanic && (
              <p>
                {data.mechanic.serviceTier} · approval {data.mechanic.approvalStatus} · can accept{' '}
                {data.mechanic.canAcceptSessions ? 'yes' : 'no'} · {data.mechanic.onShift ? 'on shift' : 'off shift'}
              </p>
            )}
            <p
              data-testid="eligibility"
              className={data.eligibility.eligible ? 'text-green-800' : 'font-semibold text-red-700'}
            >
              {data.eligibility.eligible
                ? 'Eligible to accept requests'
                : `Not eligible: ${data.eligibility.blockedBy}`}
            </p>
            {data.activeSession && (
              <p>
                Active session:{' '}
                <Link className="underline" href={`/admin/sessions/${data.activeSession.id}`}>
                  {data.activeSession.id}
                </Link>
              </p>
            )}
          </section>
          <section className="card">
            <h2 className="mb-2 font-bold">What to do</h2>
            <ul className="list-disc pl-5 text-sm">
              {data.recommendations.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </section>
          <section className="card">
            <h2 className="mb-2 font-bold">Pending requests</h2>
            {data.queueVisibility.length === 0 ? (
              <Empty>No pending requests.</Empty>
            ) : (
              <ul className="space-y-1 text-sm" data-testid="visibility">
                {data.queueVisibility.map((q) => (
                  <li key={q.sessionId}>
                    <Link className="underline" href={`/admin/sessions/${q.sessionId}`}>
                      {q.sessionId.slice(0, 8)}
                    </Link>{' '}
                    {q.plan}: {q.visible ? 'visible' : `hidden by ${q.hiddenBy}`}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </>
  );
}

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

export function Workshops() {
  const { data, reload } = useEndpoint(accounts.workshops, {});
  const [message, setMessage] = useState<string | null>(null);
  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      await call(admin.createWorkshop, {
        body: {
          name: String(form.get('name')),
          city: String(form.get('city')),
          country: String(form.get('country')),
          reason: 'created in the admin console',
        },
      });
      setMessage('Workshop created.');
      void reload();
    } catch (caught) {
      setMessage(messageOf(caught));
    }
  };
  const addMember = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const inspection = await call(admin.inspectMechanic, { query: { email: String(form.get('email')) } });
      await call(admin.addMember, {
        params: { id: String(form.get('workshopId')) },
        body: { userId: inspection.user.id, reason: 'added in the admin console' },
      });
      setMessage(`${inspection.user.email} is now a partner of this workshop.`);
    } catch (caught) {
      setMessage(messageOf(caught));
    }
  };
  return (
    <AdminShell>
      <PageTitle>Workshops</PageTitle>
      {message && <Notice>{message}</Notice>}
      <ul className="space-y-1 text-sm">
        {data?.items.map((w) => (
          <li key={w.id}>
            {w.name}, {w.city}
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void create(e)} className="card grid gap-3 sm:grid-cols-4" aria-label="New workshop">
        <Field label="Name" name="name" required />
        <Field label="City" name="city" required />
        <Field label="Country" name="country" defaultValue="US" required />
        <button className="btn-primary self-end">Create</button>
      </form>
      <form onSubmit={(e) => void addMember(e)} className="card grid gap-3 sm:grid-cols-3" aria-label="Add a member">
        <Select label="Workshop" name="workshopId">
          {data?.items.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </Select>
        <Field label="Mechanic email" name="email" type="email" required />
        <button className="btn-primary self-end">Add member</button>
      </form>
    </AdminShell>
  );
}

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
      {error && <Notice tone="error">{error.message}</Notice>}
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

export function Audit() {
  const { data, error } = useEndpoint(admin.audit, { query: { limit: 100 } });
  return (
    <AdminShell>
      <PageTitle>Audit log</PageTitle>
      {error && <Notice tone="error">{error.message}</Notice>}
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
