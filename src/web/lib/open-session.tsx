import { createContext, useContext, useState, type ReactNode } from 'react';
import { sessions, type Session } from '../../shared/contract';
import { isOpen } from '../../shared/domain';
import { useAuth } from './auth';
import { useTopic } from './realtime';
import { usePath } from './router';
import { useEndpoint } from './use-endpoint';

type OpenSessionState = {
  /** The signed-in customer's or mechanic's session in pending, accepted or live; null if none. */
  session: Session | null;
  /** False until the first answer: a page that depends on it waits rather than guess. */
  known: boolean;
};

const OpenSessionContext = createContext<OpenSessionState>({ session: null, known: false });

/** Whether `session` is open and `userId` is in it (its customer, or its assigned mechanic). */
export const isOpenFor = (session: Session, userId: string) =>
  isOpen(session.status) && (session.customerId === userId || session.mechanicId === userId);

/**
 * The signed-in person's open session, for every page: a customer has at most one (pending,
 * accepted or live) and a mechanic at most one (accepted or live) — domain.md §3's unique indexes —
 * so `GET /api/sessions?status=active&limit=1` is the answer. Asked again on every navigation, and
 * kept live by the `user` topic, which carries every transition of the person's own sessions.
 */
export function OpenSessionProvider({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  const path = usePath();
  // Admins have no sessions of their own: the list would be everyone's.
  const userId = me && me.user.role !== 'admin' ? me.user.id : null;
  const [changes, setChanges] = useState(0);
  const loaded = useEndpoint(sessions.list, userId ? { query: { status: 'active', limit: 1 } } : null, [
    userId,
    path,
    changes,
  ]);
  useTopic(userId ? 'user' : null, (event) => {
    if (event.kind !== 'session.updated' || !userId) return;
    const updated = event.session;
    // At once from the event, then confirmed by a fresh read (a read already in flight may be older).
    loaded.setData((current) => {
      if (!current) return current;
      const others = current.items.filter((s) => s.id !== updated.id);
      return { ...current, items: isOpenFor(updated, userId) ? [updated, ...others] : others };
    });
    setChanges((n) => n + 1);
  });
  const session = (userId && loaded.data?.items.find((s) => isOpenFor(s, userId))) || null;
  const known = !userId || loaded.data !== null || loaded.error !== null;
  return <OpenSessionContext.Provider value={{ session, known }}>{children}</OpenSessionContext.Provider>;
}

export function useOpenSession(): OpenSessionState {
  return useContext(OpenSessionContext);
}
