import { useState } from 'react';
import { accounts, admin, type AdminMechanic, type Workshop } from '../../../shared/contract';
import { call } from '../../lib/api';
import { Link } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Notice, PageTitle, Spinner } from '../../components/ui';
import { AdminShell } from './admin-shell';
import { ReasonDialog } from './reason-dialog';
import { APPROVAL_LABEL, TIER_LABEL } from './words';

type Action = 'approve' | 'decline' | 'suspend' | 'pause' | 'allow';
type Asking = { action: Action; mechanic: AdminMechanic };

const GROUPS = [
  ['pending', 'Applications waiting', 'No applications are waiting.'],
  ['approved', 'Approved mechanics', 'No approved mechanics yet.'],
  ['suspended', 'Suspended or declined', 'Nobody is suspended or declined.'],
] as const;

/** Each action's dialog: what it does, its button, and what is said once it went through. */
const ACTIONS: Record<
  Action,
  { title: string; explain: string; confirm: string; busy: string; done: string; danger?: boolean }
> = {
  approve: {
    title: 'Approve this mechanic',
    explain: 'They can go on shift and take requests straight away.',
    confirm: 'Approve',
    busy: 'Approving…',
    done: 'is approved',
  },
  decline: {
    title: 'Decline this application',
    explain: 'They cannot take requests. You can still approve them later from this page.',
    confirm: 'Decline application',
    busy: 'Declining…',
    done: 'was declined',
    danger: true,
  },
  suspend: {
    title: 'Suspend this mechanic',
    explain: 'They are taken off shift and cannot take requests until an admin approves them again.',
    confirm: 'Suspend',
    busy: 'Suspending…',
    done: 'is suspended',
    danger: true,
  },
  pause: {
    title: 'Pause accepting',
    explain: 'They stay approved but cannot accept new requests until accepting is allowed again.',
    confirm: 'Pause accepting',
    busy: 'Pausing…',
    done: 'can no longer accept requests',
  },
  allow: {
    title: 'Allow accepting',
    explain: 'They can accept requests again whenever they are on shift.',
    confirm: 'Allow accepting',
    busy: 'Allowing…',
    done: 'can accept requests again',
  },
};

export function Approvals() {
  const { data, error, reload } = useEndpoint(admin.mechanics, {});
  const workshops = useEndpoint(accounts.workshops, {}).data?.items ?? [];
  const [asking, setAsking] = useState<Asking | null>(null);
  const [endSession, setEndSession] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const ask = (action: Action, mechanic: AdminMechanic) => {
    setDone(null);
    setEndSession(false);
    setAsking({ action, mechanic });
  };

  const confirm = async (reason: string) => {
    if (!asking) return;
    const { action, mechanic } = asking;
    const params = { userId: mechanic.userId };
    if (action === 'approve') await call(admin.approve, { params, body: { reason } });
    else if (action === 'decline') await call(admin.decline, { params, body: { reason } });
    else if (action === 'suspend') {
      await call(admin.suspend, { params, body: { reason, ...(endSession ? { endActiveSession: true } : {}) } });
    } else await call(admin.canAccept, { params, body: { reason, value: action === 'allow' } });
    setAsking(null);
    setDone(`${mechanic.displayName} ${ACTIONS[action].done}. The change is in the audit log.`);
    await reload();
  };

  const words = asking ? ACTIONS[asking.action] : null;
  return (
    <AdminShell>
      <PageTitle>Mechanics and approvals</PageTitle>
      {error && <Notice tone="error">The mechanics could not be loaded. Refresh to try again.</Notice>}
      {done && <Notice tone="success">{done}</Notice>}
      {!data
        ? !error && <Spinner />
        : GROUPS.map(([status, title, none]) => {
            const mechanics = data.items.filter((m) => m.approvalStatus === status);
            return (
              <section key={status} aria-labelledby={`group-${status}`} className="space-y-3">
                <h2 id={`group-${status}`} className="text-lg font-bold">
                  {title} <span className="text-sm font-normal text-slate-500">({mechanics.length})</span>
                </h2>
                {mechanics.length === 0 ? (
                  <Empty>{none}</Empty>
                ) : (
                  <ul className="space-y-3">
                    {mechanics.map((m) => (
                      <MechanicCard key={m.userId} mechanic={m} workshops={workshops} onAct={ask} />
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
      {asking && words && (
        <ReasonDialog
          title={words.title}
          confirmLabel={words.confirm}
          busyLabel={words.busy}
          danger={words.danger}
          onConfirm={confirm}
          onClose={() => setAsking(null)}
          describe={(e) =>
            e.code === 'MECHANIC_IN_SESSION'
              ? 'They are in a session right now. Tick “Also end their session” to end it and suspend them in one step, or wait until it ends.'
              : e.code === 'INVALID_TRANSITION'
                ? 'This application is no longer waiting: someone has decided on it already. Close this and look again.'
                : undefined
          }
        >
          <p className="text-sm text-slate-700">
            <strong>{asking.mechanic.displayName}</strong> ({asking.mechanic.email}). {words.explain}
          </p>
          {asking.action === 'suspend' && (
            <label className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-0.5 h-4 w-4"
                checked={endSession}
                onChange={(e) => setEndSession(e.target.checked)}
              />
              <span>Also end their session, if they are in one (same reason; the customer is told)</span>
            </label>
          )}
        </ReasonDialog>
      )}
    </AdminShell>
  );
}

/** One mechanic: their application beside what can be done about it. */
function MechanicCard({
  mechanic: m,
  workshops,
  onAct,
}: {
  mechanic: AdminMechanic;
  workshops: Workshop[];
  onAct: (action: Action, mechanic: AdminMechanic) => void;
}) {
  const workshop = m.workshopId ? workshops.find((w) => w.id === m.workshopId) : undefined;
  const headingId = `mechanic-${m.userId}`;
  return (
    <li>
      <article aria-labelledby={headingId} className="card grid gap-4 md:grid-cols-[1fr_auto]">
        <div className="min-w-0 space-y-3">
          <div>
            <h3 id={headingId} className="font-bold">
              {m.displayName}
            </h3>
            <p className="break-words text-sm text-slate-600">
              {m.name !== m.displayName ? `${m.name} · ` : ''}
              {m.email}
            </p>
            <p className="mt-1 text-xs font-semibold text-slate-600">
              {APPROVAL_LABEL[m.approvalStatus]}
              {m.approvalStatus === 'approved' && !m.canAcceptSessions ? ' · accepting paused' : ''}
              {m.approvalStatus === 'approved' ? ` · ${m.onShift ? 'on shift' : 'off shift'}` : ''}
            </p>
          </div>
          <dl className="grid grid-cols-[7.5rem_1fr] gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="font-medium text-slate-600">How they work</dt>
            <dd>
              {TIER_LABEL[m.serviceTier]}
              {m.serviceTier === 'workshop_partner' &&
                (workshop ? ` at ${workshop.name}, ${workshop.city}` : ' (workshop no longer active)')}
            </dd>
            <dt className="font-medium text-slate-600">Makes</dt>
            <dd>{m.brands.length > 0 ? m.brands.join(', ') : <span className="text-slate-500">None given</span>}</dd>
            <dt className="font-medium text-slate-600">Experience</dt>
            <dd>
              {m.yearsExperience === 0
                ? 'Less than a year'
                : `${m.yearsExperience} year${m.yearsExperience === 1 ? '' : 's'}`}
            </dd>
            <dt className="font-medium text-slate-600">About them</dt>
            <dd className="whitespace-pre-line break-words">
              {m.bio.trim() ? m.bio : <span className="text-slate-500">No bio given</span>}
            </dd>
          </dl>
        </div>
        <div className="flex flex-wrap content-start gap-2 md:w-44 md:flex-col md:flex-nowrap md:items-stretch">
          {m.approvalStatus === 'pending' && (
            <>
              <button className="btn-primary" onClick={() => onAct('approve', m)}>
                Approve
              </button>
              <button className="btn-secondary" onClick={() => onAct('decline', m)}>
                Decline
              </button>
            </>
          )}
          {m.approvalStatus === 'approved' && (
            <>
              <button className="btn-secondary" onClick={() => onAct(m.canAcceptSessions ? 'pause' : 'allow', m)}>
                {m.canAcceptSessions ? 'Pause accepting' : 'Allow accepting'}
              </button>
              <button className="btn-secondary" onClick={() => onAct('suspend', m)}>
                Suspend
              </button>
            </>
          )}
          {m.approvalStatus === 'suspended' && (
            <button className="btn-secondary" onClick={() => onAct('approve', m)}>
              Approve again
            </button>
          )}
          <Link href={`/admin/mechanics?userId=${m.userId}`} className="btn-secondary">
            Inspect
          </Link>
        </div>
      </article>
    </li>
  );
}
