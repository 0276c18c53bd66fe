import type { ReactNode } from 'react';
import { Link, usePath } from '../../lib/router';

const TABS = [
  ['/app', 'Sessions'],
  ['/admin/mechanics', 'Mechanic inspector'],
  ['/admin/approvals', 'Approvals'],
  ['/admin/payments', 'Payments'],
  ['/admin/refund-requests', 'Refund requests'],
  ['/admin/disputes', 'Disputes'],
  ['/admin/payouts', 'Payouts'],
  ['/admin/workshops', 'Workshops'],
  ['/admin/outbox', 'Outbox'],
  ['/admin/webhooks', 'Webhooks'],
  ['/admin/invariants', 'Invariants'],
  ['/admin/audit', 'Audit log'],
] as const;

export function AdminShell({ children }: { children: ReactNode }) {
  const path = usePath().split('?')[0]!;
  // A tab stays current on the pages under it (/admin/payments/:id under Payments).
  const isCurrent = (href: string) => path === href || path.startsWith(`${href}/`);
  return (
    <div className="space-y-6">
      <nav aria-label="Operations" className="flex flex-wrap gap-2">
        {TABS.map(([href, label]) => (
          <Link
            key={href}
            href={href}
            aria-current={isCurrent(href) ? 'page' : undefined}
            className={`rounded-full px-3 py-1 text-sm ${isCurrent(href) ? 'bg-blue-700 text-white' : 'bg-white text-slate-700 ring-1 ring-slate-200'}`}
          >
            {label}
          </Link>
        ))}
      </nav>
      {children}
    </div>
  );
}
