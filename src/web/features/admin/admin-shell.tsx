import type { ReactNode } from 'react';
import { Link, usePath } from '../../lib/router';

const TABS = [
  ['/app', 'Sessions'],
  ['/admin/mechanics', 'Mechanic inspector'],
  ['/admin/approvals', 'Approvals'],
  ['/admin/workshops', 'Workshops'],
  ['/admin/invariants', 'Invariants'],
  ['/admin/audit', 'Audit log'],
] as const;

export function AdminShell({ children }: { children: ReactNode }) {
  const path = usePath().split('?')[0];
  return (
    <div className="space-y-6">
      <nav aria-label="Operations" className="flex flex-wrap gap-2">
        {TABS.map(([href, label]) => (
          <Link
            key={href}
            href={href}
            aria-current={path === href ? 'page' : undefined}
            className={`rounded-full px-3 py-1 text-sm ${path === href ? 'bg-blue-700 text-white' : 'bg-white text-slate-700 ring-1 ring-slate-200'}`}
          >
            {label}
          </Link>
        ))}
      </nav>
      {children}
    </div>
  );
}
