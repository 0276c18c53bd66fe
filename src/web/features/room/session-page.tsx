import { useEffect, useRef, useState } from 'react';
import { reports, sessions, type Session } from '../../../shared/contract';
import { isAssigned, isOpen, promisedEnd } from '../../../shared/domain';
import { call } from '../../lib/api';
import { loadSentence, problemSentence } from '../../lib/form-errors';
import { useAuth } from '../../lib/auth';
import { navigate } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Notice, Spinner, StatusBadge } from '../../components/ui';
import { Chat } from './chat';
import { Countdown } from './countdown';
import { EndSessionDialog } from './end-dialog';
import { EndedFollowUp, EndedSummary } from './ended-screen';
import { ExtendTime } from './extend-time';
import { IntakePhotos } from './intake-photos';
import { MechanicCard } from './mechanic-card';
import { useOutbox } from './outbox';
import { ReportForm } from './report';
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
        {error.status === 404
          ? 'This session does not exist or is not yours.'
          : loadSentence('The session could not be loaded.', error)}
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
      <IntakePhotos sessionId={session.id} canAdd />
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
  const [ending, setEnding] = useState(false);
  const [concernOpen, setConcernOpen] = useState(false);
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
      setNotice(problemSentence(e)),
    );
  }, [session.status, session.id, role, live.mergeSession]);

  const { send } = outbox;

  // Once it has ended; a report submitted later arrives as an update. None yet is a 404: no report.
  const loadedReport = useEndpoint(reports.get, !ongoing ? { params: { id: session.id } } : null, [live.updates]);
  const report = loadedReport.error ? null : loadedReport.data;
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const end = async () => {
    setEnding(true);
    try {
      const result = await call(sessions.end, { params: { id: session.id } });
      live.mergeSession(result.session);
    } catch (caught) {
      setNotice(`The session could not be ended. ${problemSentence(caught)}`);
    } finally {
      setEnding(false);
      setConfirmEnd(false);
    }
  };
  const release = async () => {
    await call(sessions.release, { params: { id: session.id } }).catch((e: unknown) => setNotice(problemSentence(e)));
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
  // Who is helping (issue #17): the customer meets the mechanic's profile in the room and after it.
  const mechanicCard = role === 'customer' && session.mechanicId && (
    <MechanicCard mechanicId={session.mechanicId} connected={ongoing ? otherConnected : undefined} />
  );
  const chatView = session.status !== 'pending' && (
    <Chat
      session={session}
      meId={meId}
      messages={live.messages}
      readOnly={!ongoing || role === 'admin'}
      otherTyping={otherTyping}
      names={names}
      outbox={outbox}
    />
  );
  // The 5-minute warning calls the offer out at the top; until then it waits under the call.
  const extendUrgent = live.warning !== null && live.warning <= 5;
  const extend = role === 'customer' && session.status === 'live' && (
    <ExtendTime session={session} warning={live.warning} onExtended={live.mergeSession} />
  );

  return (
    <div className="space-y-4">
      <header className="card flex flex-wrap items-center justify-between gap-3">
        <div className="min-w-0">
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
          {/* On a phone a long concern would push the call and the chat down: two lines, the rest on demand. */}
          <p
            id="session-concern"
            className={`text-sm text-slate-600 ${ongoing && !concernOpen ? 'line-clamp-2 lg:line-clamp-none' : ''}`}
          >
            {session.concern}
          </p>
          {ongoing && session.concern.length > 100 && (
            <button
              type="button"
              className="min-h-11 text-sm text-blue-800 underline lg:hidden"
              aria-expanded={concernOpen}
              aria-controls="session-concern"
              onClick={() => setConcernOpen(!concernOpen)}
            >
              {concernOpen ? 'Show less' : 'Show all'}
            </button>
          )}
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
            <button className="btn-secondary min-h-11" onClick={() => void release()}>
              Release to queue
            </button>
          )}
          {ongoing && role !== 'admin' && (
            <button className="btn-danger min-h-11" onClick={() => setConfirmEnd(true)}>
              End session
            </button>
          )}
        </div>
      </header>
      {confirmEnd && ongoing && role !== 'admin' && (
        <EndSessionDialog
          session={session}
          role={role}
          now={now}
          busy={ending}
          onEnd={() => void end()}
          onClose={() => setConfirmEnd(false)}
        />
      )}
      {live.warning && ongoing && (
        <Notice tone="warning">
          {live.warning === 1 ? 'One minute left in this session.' : `${live.warning} minutes left in this session.`}
        </Notice>
      )}
      {notice && <Notice tone="error">{notice}</Notice>}
      {ongoing ? (
        <>
          {extendUrgent && extend}
          {mechanicCard}
          <IntakePhotos sessionId={session.id} />
          <div className={`grid gap-4 ${videoRole ? 'lg:grid-cols-2' : ''}`}>
            {videoRole && (
              <VideoCall
                sessionId={session.id}
                role={videoRole}
                signals={live.signals}
                onSnapshot={(photo) => void send('Snapshot from the video', photo)}
              />
            )}
            {chatView}
          </div>
          {!extendUrgent && extend}
          <SessionVehicle session={session} role={role} meId={meId} />
          {role === 'mechanic' && <PrivateNotes sessionId={session.id} />}
        </>
      ) : (
        <>
          <EndedSummary session={session} role={role} />
          {mechanicCard}
        </>
      )}
      {/* One place during the call and after it: the draft being typed survives the end. */}
      {role === 'mechanic' && session.startedAt && <ReportForm session={session} onSubmitted={loadedReport.setData} />}
      {!ongoing && (
        <EndedFollowUp
          session={session}
          role={role}
          report={report}
          review={live.review}
          now={now}
          onRated={live.setReview}
          onAlreadyRated={() => void live.reload()}
          documents={<ReportDocuments session={session} role={role} hasReport={report?.status === 'submitted'} />}
          history={
            <>
              {chatView}
              <SessionVehicle session={session} role={role} meId={meId} />
            </>
          }
        />
      )}
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
