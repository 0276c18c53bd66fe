import { useEffect, useRef, useState } from 'react';
import { notifications } from '../../../shared/contract';
import { call } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { navigate } from '../../lib/router';
import { useTopic } from '../../lib/realtime';
import { useEndpoint } from '../../lib/use-endpoint';

/**
 * The bell in the header: how many notifications are unread, live over the `user` topic, and the
 * latest ones in a panel. Opening one marks it read and follows its link.
 */
export function NotificationBell() {
  const loaded = useEndpoint(notifications.list, {});
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useTopic('user', (event) => {
    if (event.kind !== 'notification.created') return;
    loaded.setData((current) =>
      current
        ? {
            items: [event.notification, ...current.items.filter((n) => n.id !== event.notification.id)].slice(0, 50),
            unread: event.unread,
          }
        : current,
    );
  });

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (!panel.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  const unread = loaded.data?.unread ?? 0;
  const items = loaded.data?.items ?? [];

  async function markRead(body: { ids: string[] } | { all: true }) {
    try {
      const { unread: left } = await call(notifications.markRead, { body });
      const now = new Date().toISOString();
      loaded.setData((current) =>
        current
          ? {
              unread: left,
              items: current.items.map((n) =>
                'all' in body || body.ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n,
              ),
            }
          : current,
      );
    } catch {
      void loaded.reload();
    }
  }

  return (
    <div className="relative">
      <button
        ref={button}
        type="button"
        className="relative rounded px-2 py-1 hover:bg-slate-100"
        aria-expanded={open}
        aria-controls="notifications-panel"
        aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
        onClick={() => setOpen((o) => !o)}
      >
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          className="h-5 w-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
        {unread > 0 && (
          <span
            data-testid="unread-count"
            className="absolute -right-1 -top-1 min-w-5 rounded-full bg-red-700 px-1 text-center text-xs font-bold text-white"
          >
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div
          ref={panel}
          id="notifications-panel"
          role="region"
          aria-label="Notifications"
          className="absolute right-0 z-40 mt-2 w-80 max-w-[calc(100vw-2rem)] rounded-lg border border-slate-200 bg-white shadow-lg"
        >
          <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2">
            <h2 className="text-sm font-bold">Notifications</h2>
            {unread > 0 && (
              <button
                type="button"
                className="text-xs text-blue-800 underline"
                onClick={() => void markRead({ all: true })}
              >
                Mark all read
              </button>
            )}
          </div>
          {items.length === 0 ? (
            <p className="px-3 py-4 text-sm text-slate-600">
              Nothing yet. We will tell you here when something happens.
            </p>
          ) : (
            <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto">
              {items.map((n) => (
                <li key={n.id}>
                  <button
                    type="button"
                    className={`block w-full px-3 py-2 text-left hover:bg-slate-50 ${n.readAt ? '' : 'bg-blue-50'}`}
                    onClick={() => {
                      if (!n.readAt) void markRead({ ids: [n.id] });
                      setOpen(false);
                      if (n.link) navigate(n.link);
                    }}
                  >
                    <span className="block text-sm font-semibold">
                      {!n.readAt && <span className="sr-only">Unread: </span>}
                      {n.title}
                    </span>
                    <span className="block text-sm text-slate-700">{n.body}</span>
                    <span className="block text-xs text-slate-500">{formatTime(n.createdAt)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
