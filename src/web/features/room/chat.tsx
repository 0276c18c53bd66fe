import { useEffect, useRef, useState, type FormEvent } from 'react';
import { chat, fillPath, type Message, type Session } from '../../../shared/contract';
import { formatClock } from '../../lib/format';
import { realtime } from '../../lib/realtime';
import type { Outbox } from './outbox';

/** Chat with photos. Messages go out through the room's outbox, which makes retries safe. */
export function Chat(props: {
  session: Session;
  meId: string;
  messages: Message[];
  readOnly: boolean;
  otherTyping: boolean;
  names: Record<string, string>;
  outbox: Outbox;
}) {
  const { session, meId, messages, readOnly } = props;
  const { outgoing, error, send, retry } = props.outbox;
  const [draft, setDraft] = useState('');
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

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft('');
    void send(text);
  };

  const attach = async (files: FileList | null) => {
    if (!files?.length) return;
    setUploading(true);
    try {
      // One after another, so the photos arrive in the order they were picked.
      for (const file of [...files].slice(0, 5)) await send(`Photo: ${file.name}`, { file, name: file.name });
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
          <li className="text-center text-sm text-slate-500">
            {readOnly ? 'No messages were exchanged in this session.' : 'No messages yet. Say hello.'}
          </li>
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
              <button className="ml-2 underline" onClick={() => void retry(o)}>
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
