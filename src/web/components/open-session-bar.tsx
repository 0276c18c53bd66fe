import { useRef, type ReactNode } from 'react';
import type { Session } from '../../shared/contract';
import { useAuth } from '../lib/auth';
import { useOpenSession } from '../lib/open-session';
import { Link, usePath } from '../lib/router';
import { Spinner } from './ui';

/** Where the open session stands, for the person it belongs to. */
function standing(session: Session, role: 'customer' | 'mechanic'): string {
  const car = `${session.vehicle.year} ${session.vehicle.make} ${session.vehicle.model}`;
  if (session.status === 'pending') return `We are finding a mechanic for your ${car}.`;
  if (session.status === 'accepted') {
    return role === 'customer'
      ? `A mechanic accepted your request about the ${car}: join them.`
      : `You accepted a request about a ${car}: the customer is waiting for you.`;
  }
  return role === 'customer' ? `Your session about the ${car} is live.` : `Your session about a ${car} is live.`;
}

/**
 * "Return to your session": on every page but the session's own, while the signed-in customer or
 * mechanic has a session open, so that Back, a link or "Get help" never strands them outside it.
 */
export function OpenSessionBar() {
  const { me } = useAuth();
  const { session } = useOpenSession();
  const path = usePath().split('?')[0];
  const role = me?.user.role;
  if (!session || (role !== 'customer' && role !== 'mechanic')) return null;
  const href = `/sessions/${session.id}`;
  if (path === href) return null;
  return (
    <aside aria-label="Your open session" className="sticky top-0 z-30 bg-blue-800 text-white shadow">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-2">
        <p className="flex items-center gap-2 text-sm">
          {session.status === 'live' && (
            <span className="h-2.5 w-2.5 shrink-0 animate-pulse rounded-full bg-green-300" aria-hidden />
          )}
          {standing(session, role)}
        </p>
        <Link
          href={href}
          className="btn min-h-11 bg-white text-blue-900 hover:bg-blue-50"
          data-testid="return-to-session"
        >
          Return to your session
        </Link>
      </div>
    </aside>
  );
}

/**
 * The intake while a session is open: one open session per customer (domain.md §5), so instead of
 * a form that would be refused after paying, the way back to the one that is open. Decided when the
 * page opens: a session that opens later is the one this very form just created, on its way to it.
 */
export function OneOpenSession({ children }: { children: ReactNode }) {
  const { session, known } = useOpenSession();
  const openWhenShown = useRef<boolean | null>(null);
  if (!known) return <Spinner />;
  openWhenShown.current ??= session !== null;
  if (!session || !openWhenShown.current) return <>{children}</>;
  return (
    <div className="mx-auto max-w-lg">
      <div className="card space-y-4 text-center">
        <h1 className="text-2xl font-bold">You already have a session open</h1>
        <p className="text-slate-700">
          {standing(session, 'customer')} Finish or cancel it there before asking for help with something else: you are
          only charged for a session once a mechanic has helped you.
        </p>
        <Link href={`/sessions/${session.id}`} className="btn-primary min-h-11">
          Go to your session
        </Link>
      </div>
    </div>
  );
}
