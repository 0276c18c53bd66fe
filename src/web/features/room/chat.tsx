import { useEffect, useRef, useState, type FormEvent } from 'react';
import { chat, fillPath, type Message, type Session } from '../../../shared/contract';
import { ApiError, call } from '../../lib/api';
import { formatClock } from '../../lib/format';
import { realtime } from '../../lib/realtime';

type Outgoing = { clientId: string; body: string; attachmentIds: string[]; failed: boolean };

export async function uploadPhoto(sessionId: string, file: Blob, filename: string): Promise<string> {
  const form = new FormData();
  form.append('file', file, filename);
  const attachment = await call(chat.upload, { params: { id: sessionId }, body: form });
  return attachment.id;
}

/** Chat with photos. Sends carry a clientId, so a retry after a network error never duplicates. */
export function Chat(props: {
  session: Session;
  meId: string;
  messages: Message[];
  readOnly: boolean;
  otherTyping: boolean;
  names: Record<string, string>;
  onSent: (message: Message) => void;
}) {
  const { session, meId, messages, readOnly } = props;
  const [draft, setDraft] = useState('');
  const [outgoing, setOutgoing] = useState<Outgoing[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const bottom = useRef<HTMLDivElement>(null);
  const lastTyping = useRef(0);

  // The socket may deliver our own message before the POST answers: show it once, as delivered.
  const delivered = new Set(messages.map((m) => m.clientId));
  const pending = outgoing.filter((o) => !delivered.has(o.clientId));

  useEffect(() => {
    // Braces matter: scrollIntoView returns a Promise in newer browsers, and an effect may only return a cleanup.
    void bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages.length, outgoing.length]);

  const deliver = async (item: Outgoing) => {
    try {
      const message = await call(chat.send, {
        params: { id: session.id },
        body: {
          body: item.body,
          clientId: item.clientId,
          ...(item.attachmentIds.length ? { attachmentIds: item.attachmentIds } : {}),
        },
      });
      props.onSent(message);
      setOutgoing((all) => all.filter((o) => o.clientId !== item.clientId));
    } catch (caught) {
      setOutgoing((all) => all.map((o) => (o.clientId === item.clientId ? { ...o, failed: true } : o)));
      setError(caught instanceof ApiError ? caught.message : 'Not sent.');
    }
  };

  const send = (body: string, attachmentIds: string[] = []) => {
    const item = { clientId: crypto.randomUUID(), body, attachmentIds, failed: false };
    setOutgoing((all) => [...all, item]);
    setError(null);
    void deliver(item);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft('');
    send(text);
  };

  const attach = async (files: FileList | null) => {
    if (!files?.length) return;
    setUploading(true);
    try {
      for (const file of [...files].slice(0, 5)) {
        const id = await uploadPhoto(session.id, file, file.name);
        send(`Photo: ${file.name}`, [id]);
      }
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'Upload failed.');
    } finally {
      setUploading(false);
    }
  };

  const onType = (value: string) => {
    setDraft(value);
    if (Date.now() - lastTyping.current > 2000) {
      lastTyping.current = Date.now();
      realtime.send({ type: 'typing', sessionId: session.id });
    }
  };

  return (
    <section aria-label="Chat" className="card flex h-[28rem] flex-col p-0 sm:p-0">
      <ol className="flex-1 space-y-2 overflow-y-auto p-4" aria-live="polite" aria-relevant="additions">
        {messages.length === 0 && pending.length === 0 && (
          <li className="text-center text-sm text-slate-500">No messages yet. Say hello.</li>
        )}
        {messages.map((m) => (
          <Bubble
            key={m.seq}
            mine={m.senderId === meId}
            who={props.names[m.senderId] ?? 'Them'}
            time={formatClock(m.createdAt)}
          >
            {m.body}
            {m.attachmentIds.map((id) => (
              <a
                key={id}
                href={fillPath(chat.download.path, { id })}
                target="_blank"
                rel="noreferrer"
                className="mt-2 block"
              >
                <img
                  src={fillPath(chat.download.path, { id })}
                  alt="Shared photo"
                  className="max-h-48 rounded"
                  loading="lazy"
                />
              </a>
            ))}
          </Bubble>
        ))}
        {pending.map((o) => (
          <Bubble key={o.clientId} mine who="You" time={o.failed ? 'not sent' : 'sending…'}>
            {o.body}
            {o.failed && (
              <button
                className="ml-2 underline"
                onClick={() => (
                  setOutgoing((all) => all.map((x) => (x.clientId === o.clientId ? { ...x, failed: false } : x))),
                  void deliver(o)
                )}
              >
                Retry
              </button>
            )}
          </Bubble>
        ))}
        <div ref={bottom} />
      </ol>
      {props.otherTyping && <p className="px-4 pb-1 text-xs text-slate-500">typing…</p>}
      {error && (
        <p role="alert" className="px-4 pb-1 text-xs text-red-700">
          {error}
        </p>
      )}
      {readOnly ? (
        <p className="border-t border-slate-200 p-3 text-center text-sm text-slate-500">
          This session has ended; the chat is read-only.
        </p>
      ) : (
        <form onSubmit={submit} className="flex gap-2 border-t border-slate-200 p-3">
          <label className="btn-secondary cursor-pointer" aria-label="Attach photos">
            {uploading ? 'Uploading…' : 'Photo'}
            <input
              type="file"
              accept="image/jpeg,image/png,image/webp,application/pdf"
              multiple
              className="sr-only"
              onChange={(e) => void attach(e.target.files)}
            />
          </label>
          <label htmlFor="chat-input" className="sr-only">
            Message
          </label>
          <input
            id="chat-input"
            className="input"
            value={draft}
            maxLength={4000}
            onChange={(e) => onType(e.target.value)}
            placeholder="Type a message"
            autoComplete="off"
          />
          <button className="btn-primary" disabled={!draft.trim()}>
            Send
          </button>
        </form>
      )}
    </section>
  );
}

function Bubble({
  mine,
  who,
  time,
  children,
}: {
  mine: boolean;
  who: string;
  time: string;
  children: React.ReactNode;
}) {
  return (
    <li className={`flex ${mine ? 'justify-end' : 'justify-start'}`}>
      <div
        className={`max-w-[80%] rounded-2xl px-3 py-2 text-sm ${mine ? 'bg-blue-700 text-white' : 'bg-slate-100 text-slate-900'}`}
      >
        <p className="mb-0.5 text-[11px] opacity-80">
          {who} · {time}
        </p>
        <div className="whitespace-pre-wrap break-words">{children}</div>
      </div>
    </li>
  );
}
