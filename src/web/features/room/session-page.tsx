import { useEffect, useRef, useState } from 'react';
import { reports, sessions, type Session } from '../../../shared/contract';
import { isAssigned, isOpen, promisedEnd } from '../../../shared/domain';
import { ApiError, call, messageOf } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { formatTime, outcome } from '../../lib/format';
import { Link, navigate } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Notice, Spinner, StatusBadge } from '../../components/ui';
import { Chat } from './chat';
import { Countdown } from './countdown';
import { ExtendTime } from './extend-time';
import { MoneySummary } from './money-summary';
import { pendingPhotos } from './pending-photos';
import { useOutbox } from './outbox';
import { ReportForm, ReportView, ReviewForm } from './report';
import { ReportDocuments } from './report-documents';
import { SessionVehicle } from './session-vehicle';
import { useLiveSession } from './use-session';
import { VideoCall } from './video-call';

export function SessionPage({ id }: { id: string }) {
  const { me } = useAuth();
  const live = useLiveSession(id);
  const { session, error } = live;
  if (error) {
    return (
      <Notice tone="error">
        {error.status === 404 ? 'This session does not exist or is not yours.' : error.message}
      </Notice>
    );
  }
  if (!session || !me) return <Spinner label="Loading the session…" />;
  const role =
    session.customerId === me.user.id ? 'customer' : session.mechanicId === me.user.id ? 'mechanic' : 'admin';
  if (session.status === 'pending' && role === 'customer')
    return <Waiting session={session} onChange={live.mergeSession} />;
  return <Room key={session.id} live={live} session={session} meId={me.user.id} role={role} />;
}

/** While a request waits: live status, time until it expires, cancel. */
function Waiting({ session, onChange }: { session: Session; onChange: (s: Session) => void }) {
  const [busy, setBusy] = useState(false);
  const cancel = async () => {
    setBusy(true);
    const result = await call(sessions.end, { params: { id: session.id } }).finally(() => setBusy(false));
    onChange(result.session);
  };
  return (
    <div className="mx-auto max-w-lg space-y-6 text-center">
      <div className="card space-y-4">
        <span className="mx-auto block h-12 w-12 animate-pulse rounded-full bg-blue-200" aria-hidden />
        <h1 className="text-2xl font-bold">Finding a mechanic…</h1>
        <p className="text-slate-700">
          Your request for the {session.vehicle.year} {session.vehicle.make} {session.vehicle.model} is in the queue of
          every eligible mechanic on shift. This page updates by itself as soon as one accepts.
        </p>
        {session.deadlineAt && (
          <p className="text-sm text-slate-600">
            A mechanic has <Countdown until={session.deadlineAt} label="Time left for a mechanic to accept" /> to
            accept. If nobody does, the request closes and the hold on your card is released: nothing is charged.
          </p>
        )}
        <button className="btn-secondary" onClick={() => void cancel()} disabled={busy}>
          Cancel request
        </button>
      </div>
    </div>
  );
}

function Room({
  live,
  session,
  meId,
  role,
}: {
  live: ReturnType<typeof useLiveSession>;
  session: Session;
  meId: string;
  role: 'customer' | 'mechanic' | 'admin';
}) {
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const joined = useRef(false);
  const outbox = useOutbox(session.id, (message) => live.mergeMessages([message]));
  const ongoing = isOpen(session.status);
  const other = session.participants.find((p) => p.userId !== meId);
  const otherConnected = other ? (live.presence[other.userId] ?? other.connected) : false;

  // Entering the room is joining it (T6); coming back to a live session refreshes presence.
  useEffect(() => {
    if (joined.current || role === 'admin' || !isAssigned(session.status)) return;
    joined.current = true;
    call(sessions.join, { params: { id: session.id } }).then(live.mergeSession, (e: unknown) =>
      setNotice(messageOf(e)),
    );
  }, [session.status, session.id, role, live.mergeSession]);

  // Photos chosen at intake go into the chat once it opens, one after another.
  const { send } = outbox;
  useEffect(() => {
    const photos = pendingPhotos.get(session.id);
    if (!photos?.length || role !== 'customer' || !isAssigned(session.status)) return;
    pendingPhotos.delete(session.id);
    void (async () => {
      for (const photo of photos) await send(`Photo: ${photo.name}`, { file: photo, name: photo.name });
    })();
  }, [session.status, session.id, role, send]);

  // Once it has ended; a report submitted later arrives as an update. None yet is a 404: no report.
  const loadedReport = useEndpoint(reports.get, !ongoing ? { params: { id: session.id } } : null, [live.updates]);
  const report = loadedReport.error ? null : loadedReport.data;
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const end = async () => {
    setConfirmEnd(false);
    try {
      const result = await call(sessions.end, { params: { id: session.id } });
      live.mergeSession(result.session);
    } catch (caught) {
      setNotice(caught instanceof ApiError ? caught.message : 'Could not end the session.');
    }
  };
  const release = async () => {
    await call(sessions.release, { params: { id: session.id } }).catch((e: unknown) => setNotice(messageOf(e)));
    navigate('/app');
  };

  const countdownEnd = session.startedAt
    ? promisedEnd(new Date(session.startedAt), session.plannedMinutes, session.extendedMinutes).toISOString()
    : null;
  const otherTyping = other ? now - (live.typingAt[other.userId] ?? 0) < 4000 : false;
  // Every participant by role (an admin reading along sees both named), and "You" for oneself.
  const names: Record<string, string> = Object.fromEntries(
    session.participants.map((p) => [
      p.userId,
      p.userId === meId ? 'You' : p.role === 'mechanic' ? 'Mechanic' : 'Customer',
    ]),
  );
  const videoRole = session.kind !== 'chat' && ongoing && role !== 'admin' ? role : null;

  return (
    <div className="space-y-4">
      <header className="card flex flex-wrap items-center justify-between gap-3">
        <div>
          <div className="flex items-center gap-2">
            <StatusBadge status={session.status} />
            {ongoing && other && (
              <span className="text-xs text-slate-600" data-testid="presence">
                {other.role === 'mechanic' ? 'Mechanic' : 'Customer'} {otherConnected ? 'is here' : 'is not connected'}
              </span>
            )}
          </div>
          <h1 className="mt-1 text-xl font-bold">
            {session.vehicle.year} {session.vehicle.make} {session.vehicle.model}
          </h1>
          <p className="text-sm text-slate-600">{session.concern}</p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          {session.status === 'live' && countdownEnd && (
            <span className="text-sm">
              Time left <Countdown until={countdownEnd} label="Time left in the session" />
            </span>
          )}
          {session.status === 'accepted' && session.deadlineAt && (
            <span className="text-sm">
              Join within <Countdown until={session.deadlineAt} label="Time left to join" />
            </span>
          )}
          {role === 'mechanic' && session.status === 'accepted' && (
            <button className="btn-secondary" onClick={() => void release()}>
              Release to queue
            </button>
          )}
          {ongoing && role !== 'admin' && !confirmEnd && (
            <button className="btn-danger" onClick={() => setConfirmEnd(true)}>
              End session
            </button>
          )}
          {confirmEnd && (
            <span role="group" aria-label="Confirm ending" className="flex items-center gap-2 text-sm">
              End now?
              <button className="btn-danger" onClick={() => void end()}>
                Yes, end it
              </button>
              <button className="btn-secondary" onClick={() => setConfirmEnd(false)}>
                Keep going
              </button>
            </span>
          )}
        </div>
      </header>
      <SessionVehicle session={session} role={role} meId={meId} />
      {live.warning && ongoing && (
        <Notice tone="warning">
          {live.warning === 1 ? 'One minute left in this session.' : `${live.warning} minutes left in this session.`}
        </Notice>
      )}
      {role === 'customer' && session.status === 'live' && (
        <ExtendTime session={session} warning={live.warning} onExtended={live.mergeSession} />
      )}
      {notice && <Notice tone="error">{notice}</Notice>}
      {!ongoing && (
        <Notice tone={session.status === 'completed' ? 'success' : 'info'}>
          <span data-testid="outcome">{outcome(session, role)}</span>{' '}
          {session.endedAt && `Ended ${formatTime(session.endedAt)}.`}
          {role === 'customer' && (
            <MoneySummary sessionId={session.id} version={session.version} endedAt={session.endedAt} />
          )}
        </Notice>
      )}
      <div className={`grid gap-4 ${videoRole ? 'lg:grid-cols-2' : ''}`}>
        {videoRole && (
          <VideoCall
            sessionId={session.id}
            role={videoRole}
            signals={live.signals}
            onSnapshot={(photo) => void send('Snapshot from the video', photo)}
          />
        )}
        {session.status !== 'pending' && (
          <Chat
            session={session}
            meId={meId}
            messages={live.messages}
            readOnly={!ongoing || role === 'admin'}
            otherTyping={otherTyping}
            names={names}
            outbox={outbox}
          />
        )}
      </div>
      {role === 'mechanic' && ongoing && <PrivateNotes sessionId={session.id} />}
      {role === 'mechanic' && session.startedAt && <ReportForm session={session} onSubmitted={loadedReport.setData} />}
      {role !== 'mechanic' &&
        !ongoing &&
        (report ? (
          <ReportView report={report} />
        ) : (
          session.status === 'completed' && (
            <Notice>The mechanic’s report will appear here as soon as it is written.</Notice>
          )
        ))}
      {!ongoing && <ReportDocuments session={session} role={role} hasReport={report?.status === 'submitted'} />}
      {role === 'customer' && session.status === 'completed' && <ReviewForm sessionId={session.id} />}
      <Link href="/app" className="inline-block text-sm text-blue-800 underline">
        Back to dashboard
      </Link>
    </div>
  );
}

/** Notes only the mechanic sees, kept in this browser. */
function PrivateNotes({ sessionId }: { sessionId: string }) {
  const key = `notes:${sessionId}`;
  const [notes, setNotes] = useState(() => localStorage.getItem(key) ?? '');
  return (
    <section className="card">
      <label htmlFor="private-notes" className="label">
        Private notes (only you, on this device)
      </label>
      <textarea
        id="private-notes"
        className="input min-h-20"
        value={notes}
        onChange={(e) => (setNotes(e.target.value), localStorage.setItem(key, e.target.value))}
      />
    </section>
  );
}
