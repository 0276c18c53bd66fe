import { useCallback, useEffect, useState } from 'react';
import { chat, sessions, type Message, type Review, type Session } from '../../../shared/contract';
import type { EventOf, RealtimeEvent } from '../../../shared/realtime';
import { ApiError, call } from '../../lib/api';
import { useTopic } from '../../lib/realtime';

/** Hears the session's WebRTC signals (the video call). */
export type SignalListener = (event: EventOf<'rtc.signal'>) => void;

/**
 * A session with its chat, live: subscribes first, then loads over HTTP, and merges both by
 * version (sessions) and seq (messages), so nothing is lost between the two and nothing doubles.
 */
export function useLiveSession(id: string) {
  const [session, setSession] = useState<Session | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [presence, setPresence] = useState<Record<string, boolean>>({});
  const [typingAt, setTypingAt] = useState<Record<string, number>>({});
  const [warning, setWarning] = useState<number | null>(null);
  const [updates, setUpdates] = useState(0);
  /**
   * The customer's rating, from the session's own read (events carry the plain Session): undefined
   * until that read answers, or for a viewer it is not told to (the mechanic).
   */
  const [review, setReview] = useState<Review | null | undefined>(undefined);
  const [signals] = useState(() => new Set<SignalListener>());

  const mergeSession = useCallback((next: Session) => {
    setSession((current) => (!current || next.version >= current.version ? next : current));
    setPresence((current) => ({
      ...Object.fromEntries(next.participants.map((p) => [p.userId, p.connected])),
      ...current,
    }));
  }, []);
  const mergeMessages = useCallback((incoming: Message[]) => {
    setMessages((current) => {
      const bySeq = new Map(current.map((m) => [m.seq, m]));
      for (const m of incoming) bySeq.set(m.seq, m);
      return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    });
  }, []);

  useTopic(`session:${id}`, (event: RealtimeEvent) => {
    switch (event.kind) {
      case 'session.updated':
        // Some events change nothing in the session row (a submitted report): count them too.
        setUpdates((n) => n + 1);
        return mergeSession(event.session);
      case 'message.created':
        return mergeMessages([event.message]);
      case 'presence':
        return setPresence((p) => ({ ...p, [event.userId]: event.connected }));
      case 'typing':
        return setTypingAt((t) => ({ ...t, [event.userId]: Date.now() }));
      case 'timer.warning':
        return setWarning(event.minutesLeft);
      case 'rtc.signal':
        for (const listener of signals) listener(event);
    }
  });

  const reload = useCallback(async () => {
    try {
      const [loaded, history] = await Promise.all([
        call(sessions.get, { params: { id } }),
        call(chat.messages, { params: { id }, query: { limit: 200 } }),
      ]);
      mergeSession(loaded);
      setReview(loaded.review);
      mergeMessages(history.items);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'UNKNOWN', String(caught)));
    }
  }, [id, mergeSession, mergeMessages]);

  useEffect(() => void reload(), [reload]);
  // Coming back online: the socket replays from its cursor; this catches anything else.
  useEffect(() => {
    const onOnline = () => void reload();
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [reload]);

  return {
    session,
    messages,
    error,
    presence,
    typingAt,
    warning,
    signals,
    updates,
    review,
    setReview,
    mergeSession,
    mergeMessages,
    reload,
  };
}
