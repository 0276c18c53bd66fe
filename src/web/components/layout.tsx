import type { ReactNode } from 'react';
import { NotificationBell } from '../features/notifications/bell';
import { useAuth } from '../lib/auth';
import { useOpenSession } from '../lib/open-session';
import { useConnectionState } from '../lib/realtime';
import { Link } from '../lib/router';
import { SUPPORT_EMAIL } from '../lib/support';
import { OpenSessionBar } from './open-session-bar';

export function Layout({ children }: { children: ReactNode }) {
  const { me, signOut } = useAuth();
  const connection = useConnectionState();
  const open = useOpenSession().session;
  const role = me?.user.role;
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <nav
          aria-label="Main"
          className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3"
        >
          <Link href="/" className="text-lg font-extrabold tracking-tight text-blue-800">
            AutoDoctor
          </Link>
          <div className="flex flex-wrap items-center gap-2 text-sm">
            {me ? (
              <>
                <Link href="/app" className="rounded px-2 py-1 hover:bg-slate-100">
                  {role === 'admin' ? 'Operations' : role === 'mechanic' ? 'My queue' : 'My sessions'}
                </Link>
                {role === 'mechanic' && (
                  <Link href="/earnings" className="rounded px-2 py-1 hover:bg-slate-100">
                    Earnings
                  </Link>
                )}
                {role === 'customer' && (
                  <>
                    <Link href="/garage" className="rounded px-2 py-1 hover:bg-slate-100">
                      My garage
                    </Link>
                    <Link href="/receipts" className="rounded px-2 py-1 hover:bg-slate-100">
                      Receipts
                    </Link>
                    {/* One open session at a time: while one is open, "Get help" is that session. */}
                    <Link href={open ? `/sessions/${open.id}` : '/request'} className="btn-primary">
                      {open ? 'Your session' : 'Get help'}
                    </Link>
                  </>
                )}
                <NotificationBell />
                <span className="hidden text-slate-500 sm:inline">{me.user.email}</span>
                <Link href="/account" className="rounded px-2 py-1 hover:bg-slate-100">
                  Account
                </Link>
                <button className="btn-secondary" onClick={() => void signOut()}>
                  Sign out
                </button>
              </>
            ) : (
              <>
                <Link href="/sign-in" className="btn-secondary">
                  Sign in
                </Link>
                <Link href="/sign-up" className="btn-primary">
                  Create account
                </Link>
              </>
            )}
          </div>
        </nav>
      </header>
      <OpenSessionBar />
      {me && connection === 'reconnecting' && (
        <div role="status" className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-900">
          Reconnecting… updates will appear as soon as the connection is back.
        </div>
      )}
      <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-6 sm:py-10">
        {children}
      </main>
      <footer className="border-t border-slate-200 px-4 py-6 text-center text-xs text-slate-600">
        <p>AutoDoctor — remote help from certified mechanics</p>
        <nav aria-label="About AutoDoctor" className="mt-2 flex flex-wrap justify-center gap-x-4 gap-y-1">
          <Link href="/terms" className="underline">
            Terms of service
          </Link>
          <Link href="/privacy" className="underline">
            Privacy
          </Link>
          <a href={`mailto:${SUPPORT_EMAIL}`} className="underline">
            Support: {SUPPORT_EMAIL}
          </a>
          <a href="/api/docs" className="underline">
            API
          </a>
        </nav>
      </footer>
    </div>
  );
}
