import { useEffect, useRef, useState } from 'react';
import { accounts, sessions, type Session } from '../../../shared/contract';
import { isAssigned } from '../../../shared/domain';
import { ApiError, call } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { problemSentence } from '../../lib/form-errors';
import { formatTime, minutesSince, outcome } from '../../lib/format';
import { useTopic } from '../../lib/realtime';
import { Link, navigate } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { TroubleCodeList } from '../../components/trouble-code-list';
import { Empty, Notice, PageTitle, Spinner, StatusBadge } from '../../components/ui';
import { VehicleSummary } from '../../components/vehicle-summary';
import { IntakePhotos } from '../room/intake-photos';

/**
 * A request's photos are uploaded just after it appears in the queue: a card looks again for
 * them until this long after the request, then the set is as good as settled.
 */
const PHOTO_SETTLE_MS = 2 * 60_000;
const photosSettleAt = (requestedAt: string) => new Date(Date.parse(requestedAt) + PHOTO_SETTLE_MS).toISOString();

const BLOCKED: Record<string, string> = {
  NOT_APPROVED: 'Your application is being reviewed. You will see requests once an admin approves it.',
  ACCEPT_DISABLED: 'Accepting sessions is paused for your account. Contact AutoDoctor support.',
  OFF_SHIFT: 'You are off shift. Go on shift to see requests.',
  BUSY: 'You are in a session. New requests appear when it ends.',
  NOT_A_MECHANIC: 'This account is not a mechanic account.',
};

/** Why a request could not be taken, for the mechanic who tried: by the rule that stopped them. */
const NOT_FOR_YOU: Record<string, string> = {
  ...BLOCKED,
  TIER_REQUIRED: 'That request needs a workshop partner, so it is not for you.',
  OTHER_WORKSHOP: 'That request is for another workshop.',
  RESERVED: 'That request is held for another mechanic for a moment.',
  RELEASED_BEFORE: 'You released that request before, so it goes to another mechanic.',
};

function acceptRefused(caught: unknown): string {
  if (caught instanceof ApiError && caught.code === 'NOT_ELIGIBLE') {
    const why = NOT_FOR_YOU[caught.reason ?? ''];
    if (why) return `${why} It has been removed from your queue.`;
  }
  return problemSentence(caught, {
    ALREADY_TAKEN: 'Another mechanic accepted that request a moment before you. It has been removed from your queue.',
    NOT_ELIGIBLE: 'You cannot take that request. It has been removed from your queue.',
  });
}

function chime() {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
  } catch {
    /* sound is a nicety */
  }
}

export function MechanicDashboard() {
  const { me, refresh } = useAuth();
  const loadedQueue = useEndpoint(sessions.queue, {});
  const own = useEndpoint(sessions.list, { query: { status: 'all', limit: 30 } });
  const queue = loadedQueue.data?.items ?? null;
  const blockedBy = loadedQueue.data?.blockedBy ?? null;
  const mine = own.data?.items ?? [];
  const [message, setMessage] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [, tick] = useState(0);
  const known = useRef(new Set<string>());
  const reload = () => Promise.all([loadedQueue.reload(), own.reload()]);

  // Requests already listed do not chime when the queue announces them again.
  useEffect(() => loadedQueue.data?.items.forEach((s) => known.current.add(s.id)), [loadedQueue.data]);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    const count = queue?.length ?? 0;
    document.title = count > 0 ? `(${count}) AutoDoctor` : 'AutoDoctor';
    return () => void (document.title = 'AutoDoctor');
  }, [queue?.length]);

  useTopic(me?.mechanic ? 'queue' : null, (event) => {
    if (event.kind === 'queue.added') {
      const session = event.session;
      loadedQueue.setData(
        (q) => q && { items: q.items.some((s) => s.id === session.id) ? q.items : sortQueue([...q.items, session]) },
      );
      if (!known.current.has(session.id)) {
        known.current.add(session.id);
        chime();
        if ('Notification' in window && Notification.permission === 'granted' && document.hidden) {
          new Notification('New AutoDoctor request', {
            body: `${session.vehicle.make} ${session.vehicle.model}: ${session.concern.slice(0, 80)}`,
          });
        }
      }
    } else if (event.kind === 'queue.removed') {
      loadedQueue.setData((q) => q && { ...q, items: q.items.filter((s) => s.id !== event.sessionId) });
    }
  });
  useTopic('user', (event) => {
    if (event.kind === 'session.updated') {
      const s = event.session;
      own.setData(
        (all) =>
          all && {
            ...all,
            items: [s, ...all.items.filter((x) => x.id !== s.id)].sort((a, b) =>
              b.requestedAt.localeCompare(a.requestedAt),
            ),
          },
      );
    }
  });

  const [shiftOverride, setShiftOverride] = useState<boolean | null>(null);
  const setShift = async (onShift: boolean) => {
    setShiftOverride(onShift); // the switch moves at once; a failure moves it back
    try {
      await call(accounts.setShift, { body: { onShift } });
      if (onShift && 'Notification' in window && Notification.permission === 'default') {
        void Notification.requestPermission();
      }
      await refresh();
      await reload();
    } catch (caught) {
      setMessage({ tone: 'error', text: `Your shift could not be changed. ${problemSentence(caught)}` });
    } finally {
      setShiftOverride(null);
    }
  };

  const accept = async (id: string) => {
    setBusyId(id);
    setMessage(null);
    try {
      await call(sessions.accept, { params: { id } });
      navigate(`/sessions/${id}`);
    } catch (caught) {
      loadedQueue.setData((q) => q && { ...q, items: q.items.filter((s) => s.id !== id) });
      setMessage({ tone: 'info', text: acceptRefused(caught) });
      await reload();
    } finally {
      setBusyId(null);
    }
  };

  if (!me?.mechanic) return <Spinner />;
  const mechanic = { ...me.mechanic, onShift: shiftOverride ?? me.mechanic.onShift };
  const active = mine.find((s) => isAssigned(s.status));
  const history = mine.filter((s) => s !== active);
  return (
    <div className="space-y-8">
      <PageTitle
        action={
          <label className="flex cursor-pointer items-center gap-3 rounded-full border border-slate-300 bg-white px-4 py-2 text-sm font-semibold">
            <input
              type="checkbox"
              role="switch"
              className="h-5 w-5"
              checked={mechanic.onShift}
              onChange={(e) => void setShift(e.target.checked)}
              disabled={mechanic.approvalStatus !== 'approved'}
            />
            {mechanic.onShift ? 'On shift' : 'Off shift'}
          </label>
        }
      >
        {mechanic.displayName}
      </PageTitle>
      <p className="text-sm text-slate-600">
        Rating{' '}
        {mechanic.ratingCount
          ? `${mechanic.ratingAvg.toFixed(1)} ★ from ${mechanic.ratingCount} review${mechanic.ratingCount === 1 ? '' : 's'}`
          : 'not yet rated'}{' '}
        · {mechanic.serviceTier === 'workshop_partner' ? 'Workshop partner' : 'Remote mechanic'} ·{' '}
        <Link href="/profile" className="font-medium text-blue-800 underline">
          Your profile
        </Link>
      </p>
      {!mechanic.bio.trim() && (
        <Notice>
          Customers see your profile when you help them.{' '}
          <Link href="/profile" className="font-semibold underline">
            Add a photo and a few words about you
          </Link>
          .
        </Notice>
      )}
      {message ? (
        <Notice tone={message.tone}>{message.text}</Notice>
      ) : (
        (loadedQueue.error || own.error) && (
          <Notice tone="error">Could not load your queue. Refresh to try again.</Notice>
        )
      )}
      {active && (
        <section
          className="card flex flex-wrap items-center justify-between gap-3 border-blue-300"
          aria-label="Your active session"
        >
          <div>
            <StatusBadge status={active.status} />
            <p className="mt-1 font-semibold">
              {active.vehicle.year} {active.vehicle.make} {active.vehicle.model}
            </p>
          </div>
          <Link href={`/sessions/${active.id}`} className="btn-primary">
            Open session
          </Link>
        </section>
      )}
      <section aria-labelledby="queue-title">
        <h2 id="queue-title" className="mb-3 text-lg font-bold">
          Requests{' '}
          {queue && queue.length > 0 && (
            <span className="rounded-full bg-blue-700 px-2 text-sm text-white">{queue.length}</span>
          )}
        </h2>
        {!queue ? (
          <Spinner />
        ) : blockedBy ? (
          <Empty>
            {blockedBy === 'NOT_APPROVED' && me?.mechanic?.approvalStatus === 'suspended'
              ? 'Your mechanic account is not approved to take requests (your application was declined, or the account is suspended). The email we sent says why; reply to it or write to support if you think this is a mistake.'
              : (BLOCKED[blockedBy] ?? blockedBy)}
          </Empty>
        ) : queue.length === 0 ? (
          <Empty>No requests right now. New ones appear here instantly, with a sound.</Empty>
        ) : (
          <ul className="space-y-3" data-testid="queue">
            {queue.map((s) => (
              <li key={s.id} className="card flex flex-wrap items-start justify-between gap-3" data-session-id={s.id}>
                <div className="min-w-0 flex-1 space-y-2">
                  {s.urgent && (
                    <p>
                      <span className="rounded bg-red-100 px-1.5 text-xs font-bold text-red-800">URGENT</span>
                    </p>
                  )}
                  <VehicleSummary vehicle={s.vehicle} lookUpVin />
                  <p className="line-clamp-2 text-sm text-slate-700">{s.concern}</p>
                  <TroubleCodeList codes={s.troubleCodes} label="Trouble codes the customer read" />
                  <IntakePhotos sessionId={s.id} compact pollUntil={photosSettleAt(s.requestedAt)} />
                  <p className="text-xs text-slate-500">
                    {s.plan} · {s.plannedMinutes} min · waiting {minutesSince(s.requestedAt)}
                  </p>
                </div>
                <button className="btn-primary" onClick={() => void accept(s.id)} disabled={busyId !== null}>
                  {busyId === s.id ? 'Accepting…' : 'Accept'}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title" className="mb-3 text-lg font-bold">
          Your sessions
        </h2>
        {history.length === 0 ? (
          <Empty>Sessions you take appear here.</Empty>
        ) : (
          <ul className="space-y-2">
            {history.map((s) => (
              <li
                key={s.id}
                className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-slate-200 bg-white p-3 text-sm"
              >
                <span>
                  {formatTime(s.requestedAt)} · {s.vehicle.make} {s.vehicle.model} — {outcome(s, 'mechanic')}
                </span>
                <Link href={`/sessions/${s.id}`} className="underline">
                  Open
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

const sortQueue = (items: Session[]) =>
  [...items].sort((a, b) => Number(b.urgent) - Number(a.urgent) || a.requestedAt.localeCompare(b.requestedAt));
