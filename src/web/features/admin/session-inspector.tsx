import { useState } from 'react';
import { accounts, admin, chat, documents, fillPath, type SessionInspection } from '../../../shared/contract';
import { isTerminal } from '../../../shared/domain';
import { call } from '../../lib/api';
import { loadSentence } from '../../lib/form-errors';
import { formatTime, STATUS_LABEL } from '../../lib/format';
import { useEndpoint } from '../../lib/use-endpoint';
import { Notice, PageTitle, Spinner, StatusBadge } from '../../components/ui';
import { AdminShell } from './admin-shell';
import { ReasonDialog } from './reason-dialog';
import { eventWords, ROLE_LABEL } from './words';

export function SessionInspector({ id }: { id: string }) {
  const { data, error, reload } = useEndpoint(admin.inspectSession, { params: { id } });
  const [ending, setEnding] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const forceEnd = async (reason: string) => {
    await call(admin.forceEnd, { params: { id }, body: { reason } });
    setEnding(false);
    setDone('The session was ended. The action is in the audit log.');
    await reload();
  };

  return (
    <AdminShell>
      <PageTitle
        action={
          data?.allowedActions.includes('force_end') && (
            <button className="btn-danger" onClick={() => (setDone(null), setEnding(true))}>
              Force end…
            </button>
          )
        }
      >
        Session inspector
      </PageTitle>
      {error && (
        <Notice tone="error">
          {loadSentence('The session could not be loaded.', error, {
            NOT_FOUND: 'There is no session with this id.',
            VALIDATION_FAILED: 'There is no session with this id.',
          })}
        </Notice>
      )}
      {done && <Notice tone="success">{done}</Notice>}
      {!data ? (
        !error && <Spinner />
      ) : (
        <div className="space-y-4">
          <Overview data={data} />
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
          <People data={data} />
          <Conversation data={data} />
          <section className="card" aria-labelledby="timeline">
            <h2 id="timeline" className="mb-2 font-bold">
              Timeline
            </h2>
            <ol className="space-y-1 text-sm">
              {data.events.map((e) => (
                <li key={e.id}>
                  <span className="text-slate-500">{formatTime(e.createdAt)}</span> {eventWords(e)}
                  {e.toStatus && e.fromStatus !== e.toStatus
                    ? ` (${e.fromStatus ? `${STATUS_LABEL[e.fromStatus]} → ` : ''}${STATUS_LABEL[e.toStatus]})`
                    : ''}
                </li>
              ))}
            </ol>
          </section>
        </div>
      )}
      {ending && data && (
        <ReasonDialog
          title="Force-end this session"
          confirmLabel="End the session"
          busyLabel="Ending…"
          danger
          onConfirm={forceEnd}
          onClose={() => setEnding(false)}
          describe={(e) =>
            e.code === 'SESSION_CLOSED'
              ? 'The session has already ended, so nothing was done. Close this to see how it ended.'
              : undefined
          }
        >
          <p className="text-sm text-slate-700">
            {data.session.status === 'live'
              ? 'It is completed now. The customer is charged as for a completed session; refund them afterwards if they should not pay.'
              : 'It is cancelled now, and the hold on the customer’s card is released: nothing is charged.'}{' '}
            Both participants see that AutoDoctor support ended it.
          </p>
        </ReasonDialog>
      )}
    </AdminShell>
  );
}

function Overview({ data }: { data: SessionInspection }) {
  const { session, deadline } = data;
  const plan = useEndpoint(accounts.plans, {}).data?.items.find((p) => p.slug === session.plan);
  const nobodyHere = data.participants.every((p) => !p.connected);
  return (
    <section className="card space-y-2" aria-label="Where it stands">
      <p className="flex flex-wrap items-center gap-2">
        <StatusBadge status={session.status} /> <span>{data.statusExplained}</span>
      </p>
      <p className="text-sm text-slate-700">
        {session.vehicle.year} {session.vehicle.make} {session.vehicle.model} · {plan?.name ?? session.plan}, requested{' '}
        {formatTime(session.requestedAt)}
      </p>
      {isTerminal(session.status) ? (
        <p className="text-sm text-slate-600">Nothing is scheduled: the session has ended.</p>
      ) : (
        <p className={`text-sm ${deadline.overdue ? 'font-semibold text-red-700' : ''}`}>
          {deadline.overdue ? 'The deadline passed at ' : 'Next deadline: '}
          {formatTime(deadline.at)}. The sweeper will {deadline.action}.
        </p>
      )}
      {deadline.countdownEndsAt && (
        <p className="text-sm text-slate-600">
          The countdown both sides see ends at {formatTime(deadline.countdownEndsAt)}.
          {nobodyHere &&
            ` Neither participant is connected: unless one is back before ${formatTime(deadline.abandonAt)}, it ends as abandoned.`}
        </p>
      )}
      <Documents data={data} paid={(plan?.priceCents ?? 0) > 0} />
      <p className="text-xs text-slate-500">
        Session {session.id}. {data.location.note}
      </p>
    </section>
  );
}

/** The session's documents as its customer gets them: the report once submitted, the receipt of a paid session. */
function Documents({ data, paid }: { data: SessionInspection; paid: boolean }) {
  const { id, status } = data.session;
  const reported = data.events.some((e) => e.type === 'report.submitted');
  const receipted = paid && isTerminal(status);
  if (!reported && !receipted) return null;
  return (
    <p className="flex flex-wrap gap-4 text-sm">
      {reported && (
        <a className="text-blue-800 underline" href={fillPath(documents.reportPdf.path, { id })}>
          Report (PDF)
        </a>
      )}
      {receipted && (
        <a className="text-blue-800 underline" href={fillPath(documents.receiptPdf.path, { id })}>
          Receipt (PDF)
        </a>
      )}
    </p>
  );
}

function People({ data }: { data: SessionInspection }) {
  return (
    <section className="card" aria-labelledby="people">
      <h2 id="people" className="mb-2 font-bold">
        Participants
      </h2>
      <ul className="space-y-2 text-sm">
        {data.participants.map((p) => (
          <li key={p.userId}>
            <strong>{ROLE_LABEL[p.role]}</strong>: {p.name ?? 'Unknown account'}
            {p.email && <span className="break-words text-slate-600"> ({p.email})</span>}
            <span className="block text-slate-600">
              {p.joinedAt ? `Joined ${formatTime(p.joinedAt)}` : 'Has not joined'} ·{' '}
              {p.connected ? 'connected now' : 'not connected'}
              {p.lastSeenAt ? ` · last seen ${formatTime(p.lastSeenAt)}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The chat as the admin reads it: every message says who wrote it, by role and name. */
function Conversation({ data }: { data: SessionInspection }) {
  const [after, setAfter] = useState(0);
  const loaded = useEndpoint(chat.messages, { params: { id: data.session.id }, query: { after, limit: 200 } });
  const [earlier, setEarlier] = useState<NonNullable<typeof loaded.data>['items']>([]);
  // By seq: while the next page loads, the last answer is still there and must not show twice.
  const messages = [...new Map([...earlier, ...(loaded.data?.items ?? [])].map((m) => [m.seq, m])).values()];
  const authors = new Map(
    data.participants.map((p) => [p.userId, `${ROLE_LABEL[p.role]} · ${p.name ?? p.email ?? 'unknown account'}`]),
  );
  const more = (loaded.data?.items.length ?? 0) === 200;
  return (
    <section className="card" aria-labelledby="conversation">
      <h2 id="conversation" className="mb-2 font-bold">
        Conversation
      </h2>
      {loaded.error ? (
        <Notice tone="error">{loadSentence('The messages could not be loaded.', loaded.error)}</Notice>
      ) : !loaded.data ? (
        <Spinner label="Loading the messages…" />
      ) : messages.length === 0 ? (
        <p className="text-sm text-slate-600">No messages.</p>
      ) : (
        <ol className="space-y-3 text-sm" data-testid="conversation">
          {messages.map((m) => (
            <li key={m.seq} className="rounded-lg bg-slate-50 p-3">
              <p className="text-xs font-semibold text-slate-700">
                {authors.get(m.senderId) ?? 'Someone no longer in the session'}{' '}
                <span className="font-normal text-slate-500">· {formatTime(m.createdAt)}</span>
              </p>
              <p className="mt-1 whitespace-pre-line break-words">{m.body}</p>
              {m.attachmentIds.map((attachment, index) => (
                <a
                  key={attachment}
                  href={fillPath(chat.download.path, { id: attachment })}
                  target="_blank"
                  rel="noreferrer"
                  className="mt-1 inline-block text-blue-800 underline"
                >
                  Attachment {index + 1} (opens in a new tab)
                </a>
              ))}
            </li>
          ))}
        </ol>
      )}
      {more && (
        <button
          className="btn-secondary mt-3"
          onClick={() => {
            setEarlier(messages);
            setAfter(messages.at(-1)!.seq);
          }}
        >
          Show later messages
        </button>
      )}
    </section>
  );
}
