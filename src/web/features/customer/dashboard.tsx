import { sessions } from '../../../shared/contract';
import { isOpen } from '../../../shared/domain';
import { useAuth } from '../../lib/auth';
import { formatTime, outcome } from '../../lib/format';
import { useTopic } from '../../lib/realtime';
import { Link } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Notice, PageTitle, Spinner, StatusBadge } from '../../components/ui';

/** Active session banner, history with outcomes and reports, and a prompt to rate. */
export function CustomerDashboard() {
  const { me } = useAuth();
  const { data, error, setData } = useEndpoint(sessions.list, { query: { status: 'all', limit: 50 } });
  useTopic('user', (event) => {
    if (event.kind !== 'session.updated') return;
    const updated = event.session;
    setData((current) => {
      if (!current) return current;
      const others = current.items.filter((s) => s.id !== updated.id);
      return { ...current, items: [updated, ...others].sort((a, b) => b.requestedAt.localeCompare(a.requestedAt)) };
    });
  });
  if (error) return <Notice tone="error">Your sessions could not be loaded. Please refresh.</Notice>;
  if (!data) return <Spinner />;
  const active = data.items.find((s) => isOpen(s.status));
  const history = data.items.filter((s) => s !== active);
  return (
    <div className="space-y-8">
      <PageTitle
        action={
          <div className="flex flex-wrap gap-2">
            <Link href="/garage" className="btn-secondary">
              My garage
            </Link>
            {!active && (
              <Link href="/request" className="btn-primary">
                Get help
              </Link>
            )}
          </div>
        }
      >
        Hello, {me?.user.name}
      </PageTitle>
      {active ? (
        <section
          aria-label="Active session"
          className="card flex flex-wrap items-center justify-between gap-4 border-blue-300"
        >
          <div>
            <StatusBadge status={active.status} />
            <p className="mt-2 font-semibold">
              {active.vehicle.year} {active.vehicle.make} {active.vehicle.model}
            </p>
            <p className="text-sm text-slate-600">
              {active.status === 'pending'
                ? 'We are finding a mechanic for you.'
                : active.status === 'accepted'
                  ? 'A mechanic accepted. Join the session room.'
                  : 'Your session is live.'}
            </p>
          </div>
          <Link href={`/sessions/${active.id}`} className="btn-primary">
            {active.status === 'pending' ? 'View request' : 'Join'}
          </Link>
        </section>
      ) : (
        <Empty>
          No open session. When something is wrong with your car,{' '}
          <Link href="/request" className="underline">
            ask a mechanic
          </Link>
          .
        </Empty>
      )}
      <section aria-labelledby="history">
        <h2 id="history" className="mb-3 text-lg font-bold">
          History
        </h2>
        {history.length === 0 ? (
          <Empty>Your past sessions will appear here.</Empty>
        ) : (
          <ul className="space-y-3">
            {history.map((s) => (
              <li key={s.id} className="card flex flex-wrap items-center justify-between gap-3">
                <div>
                  <p className="font-semibold">
                    {s.vehicle.year} {s.vehicle.make} {s.vehicle.model} ·{' '}
                    <span className="font-normal text-slate-600">{formatTime(s.requestedAt)}</span>
                  </p>
                  <p className="text-sm text-slate-700">{outcome(s, 'customer')}</p>
                </div>
                <Link href={`/sessions/${s.id}`} className="btn-secondary">
                  {s.status === 'completed' ? 'Report & rating' : 'Details'}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
