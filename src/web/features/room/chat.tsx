import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { chat, fillPath, type Message, type Session } from '../../../shared/contract';
import { formatClock } from '../../lib/format';
import { realtime } from '../../lib/realtime';
import { deviceTraits, isMobileDevice } from './camera';
import type { Outbox } from './outbox';

/**
 * Chat with photos. Messages go out through the room's outbox, which makes retries safe. Below the
 * `lg` breakpoint (phones, tablets) the composer is pinned to the bottom of the screen, so that it
 * is in reach of a thumb without scrolling past the video; a phone also gets "Camera", which opens
 * the rear camera straight away.
 */
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
  const list = useRef<HTMLOListElement>(null);
  const lastTyping = useRef(0);
  const mobile = useMemo(() => isMobileDevice(deviceTraits()), []);

  // The socket may deliver our own message before the POST answers: show it once, as delivered.
  const delivered = new Set(messages.map((m) => m.clientId));
  const pending = outgoing.filter((o) => !delivered.has(o.clientId));

  // The list scrolls to its newest message; the page itself stays where the reader left it.
  useEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [messages.length, outgoing.length]);

  // On a phone the list may be below the video while the composer is pinned: the latest message
  // from the other side then shows above the composer, one tap from the whole conversation.
  const [listInView, setListInView] = useState(true);
  useEffect(() => {
    const element = list.current;
    if (!element || readOnly || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(([entry]) => setListInView(entry?.isIntersecting ?? true), {
      threshold: 0.2,
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [readOnly]);
  const latestFromOther = messages.findLast((m) => m.senderId !== meId);

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

  const fileButton =
    'btn-secondary min-h-11 min-w-11 cursor-pointer px-3 has-[:focus-visible]:outline has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-blue-600';
  return (
    <section
      aria-label="Chat"
      className={`card flex flex-col p-0 sm:p-0 ${readOnly ? 'max-h-[28rem]' : 'h-[22rem] lg:h-[28rem]'}`}
    >
      {readOnly && <h2 className="border-b border-slate-200 px-4 py-3 text-lg font-bold">The conversation</h2>}
      <ol ref={list} className="flex-1 space-y-2 overflow-y-auto p-4" aria-live="polite" aria-relevant="additions">
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
              <button className="ml-2 min-h-11 underline" onClick={() => void retry(o)}>
                Retry
              </button>
            )}
          </Bubble>
        ))}
      </ol>
      {readOnly ? (
        <p className="border-t border-slate-200 p-3 text-center text-sm text-slate-500">
          This session has ended; the chat is read-only.
        </p>
      ) : (
        <form
          id="chat-composer"
          onSubmit={submit}
          className="fixed inset-x-0 bottom-0 z-20 border-t border-slate-200 bg-white px-2 pt-2 pb-[max(0.5rem,env(safe-area-inset-bottom))] shadow-[0_-2px_8px_rgba(15,23,42,0.08)] lg:static lg:z-auto lg:rounded-b-xl lg:p-3 lg:shadow-none"
        >
          <div className="mx-auto max-w-5xl">
            {!listInView && latestFromOther && (
              <button
                type="button"
                className="mb-2 flex min-h-11 w-full items-center gap-1 rounded-lg bg-slate-100 px-3 text-left text-sm text-slate-900 lg:hidden"
                onClick={() => list.current?.scrollIntoView({ block: 'center', behavior: 'smooth' })}
                data-testid="latest-message"
              >
                <span className="shrink-0 font-semibold">{props.names[latestFromOther.senderId] ?? 'Them'}:</span>{' '}
                <span className="truncate">{latestFromOther.body}</span>
                <span className="sr-only"> (show the conversation)</span>
              </button>
            )}
            {props.otherTyping && <p className="pb-1 text-xs text-slate-500">typing…</p>}
            {error && (
              <p role="alert" className="pb-1 text-xs text-red-700">
                {error}
              </p>
            )}
            <div className="flex gap-2">
              {mobile && (
                <label className={fileButton}>
                  <CameraIcon />
                  <span className="sr-only">Camera</span>
                  <input
                    type="file"
                    accept="image/*"
                    capture="environment"
                    className="sr-only"
                    aria-label="Take a photo with the camera"
                    onChange={(e) => void attach(e.target.files)}
                  />
                </label>
              )}
              <label className={fileButton}>
                <PaperclipIcon />
                <span className="sr-only sm:not-sr-only">{uploading ? 'Uploading…' : 'Photo'}</span>
                <input
                  type="file"
                  accept="image/*,application/pdf"
                  multiple
                  className="sr-only"
                  aria-label="Attach photos"
                  onChange={(e) => void attach(e.target.files)}
                />
              </label>
              <label htmlFor="chat-input" className="sr-only">
                Message
              </label>
              <input
                id="chat-input"
                className="input min-h-11 min-w-0 flex-1 text-base lg:text-sm"
                value={draft}
                maxLength={4000}
                onChange={(e) => onType(e.target.value)}
                placeholder="Type a message"
                autoComplete="off"
                enterKeyHint="send"
              />
              <button className="btn-primary min-h-11" disabled={!draft.trim()}>
                Send
              </button>
            </div>
          </div>
        </form>
      )}
    </section>
  );
}

const CameraIcon = () => (
  <svg viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
    <path d="M3 8.5A1.5 1.5 0 0 1 4.5 7h2.3l1.4-2h7.6l1.4 2h2.3A1.5 1.5 0 0 1 21 8.5v9A1.5 1.5 0 0 1 19.5 19h-15A1.5 1.5 0 0 1 3 17.5z" />
    <circle cx="12" cy="13" r="3.5" />
  </svg>
);

const PaperclipIcon = () => (
  <svg viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
    <path d="m20 11.5-8.1 8.1a5 5 0 0 1-7.1-7.1l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8" />
  </svg>
);

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
