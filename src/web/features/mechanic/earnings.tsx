import { accounts, payments, type Earnings as EarningsView } from '../../../shared/contract';
import { urlOf } from '../../lib/api';
import { formatCents } from '../../lib/cents';
import { formatTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Notice, PageTitle, Spinner } from '../../components/ui';

/*
 * What a mechanic is owed, read from their ledger account (payments.md §4): the balance, what of
 * it is not payable yet and why, when the next payout runs, and the same money week by week and
 * session by session. Weeks end on Mondays at 00:00 UTC, so they are shown as UTC dates; the next
 * payout, a moment in time, is shown in the viewer's own zone.
 */

const STATEMENT_URL = urlOf(payments.earnings, { query: { format: 'csv' } });

const weekDay = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const DAY_MS = 86_400_000;

/** "Nov 30 – Dec 6": the Monday the week starts and the Sunday it ends on (UTC). */
const weekOf = (start: string, end: string) =>
  `${weekDay.format(new Date(start))} – ${weekDay.format(new Date(Date.parse(end) - DAY_MS))}`;

const nextPayoutWords = (iso: string) =>
  new Date(iso).toLocaleString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });

type Period = EarningsView['periods'][number];

function payoutWords(period: Period, now: number): string {
  switch (period.payoutStatus) {
    case 'paid':
      return 'Paid';
    case 'paying':
      return 'Being paid';
    case 'blocked':
      return 'Waiting for a payout account';
    case 'failed':
      return 'Transfer failed — owed to you again';
    default: {
      if (Date.parse(period.periodEnd) > now) return 'This week — paid after it ends';
      const left = period.earnedCents - period.reversedCents - period.paidCents;
      return left > 0 ? 'Due in the next payout' : 'Nothing to pay';
    }
  }
}

export function Earnings() {
  const loaded = useEndpoint(payments.earnings, {});
  const plans = useEndpoint(accounts.plans, {});
  if (loaded.error) return <Notice tone="error">Your earnings could not be loaded. Please refresh the page.</Notice>;
  if (!loaded.data) return <Spinner label="Loading your earnings…" />;
  const view = loaded.data;
  const planName = (slug: string) => plans.data?.items.find((p) => p.slug === slug)?.name ?? slug;
  const isNew = view.periods.length === 0 && view.sessions.length === 0 && view.balanceCents === 0;
  return (
    <div className="space-y-8">
      <PageTitle
        action={
          !isNew && (
            <a href={STATEMENT_URL} download className="btn-secondary">
              Download statement (CSV)
            </a>
          )
        }
      >
        Earnings
      </PageTitle>
      {view.payoutAccount.required && !view.payoutAccount.connected && (
        <Notice tone="warning">
          Payouts go to a connected Stripe account; none is connected yet — contact support to set it up. Your earnings
          are kept until then.
        </Notice>
      )}
      {isNew ? (
        <Empty>
          <strong className="block text-base text-slate-800">No earnings yet.</strong>
          When you complete a paid session, your share of it appears here. What you are owed is paid out every Monday at
          00:00 UTC for the week before; the next payout is on {nextPayoutWords(view.nextPayoutAt)}.
        </Empty>
      ) : (
        <>
          <Summary view={view} />
          <Weeks view={view} />
          <Sessions view={view} planName={planName} />
        </>
      )}
    </div>
  );
}

function Summary({ view }: { view: EarningsView }) {
  const c = (cents: number) => formatCents(cents, view.currency);
  // The server caps what is pending at the balance; of it, disputes hold what they hold, the rest is this week's.
  const held = Math.min(view.heldByDisputesCents, view.pendingCents);
  const thisWeek = view.pendingCents - held;
  const due = view.balanceCents - view.pendingCents;
  return (
    <section aria-label="Summary" className="grid gap-4 sm:grid-cols-3">
      <div className="card">
        <h2 className="text-sm font-medium text-slate-600">Owed to you</h2>
        <p className="mt-1 text-3xl font-bold tracking-tight" data-testid="balance">
          {c(view.balanceCents)}
        </p>
        {view.balanceCents < 0 && (
          <p className="mt-2 text-sm text-slate-600">
            A refund came after you were paid for that session; it is taken from what you earn next.
          </p>
        )}
        {due > 0 && <p className="mt-2 text-sm text-slate-600">{c(due)} of it is from weeks that have ended.</p>}
      </div>
      <div className="card">
        <h2 className="text-sm font-medium text-slate-600">Not payable yet</h2>
        <p className="mt-1 text-3xl font-bold tracking-tight" data-testid="pending">
          {c(view.pendingCents)}
        </p>
        <ul className="mt-2 space-y-1 text-sm text-slate-600">
          {thisWeek > 0 && <li>{c(thisWeek)} from this week: paid once the week has ended.</li>}
          {held > 0 && <li>{c(held)} held while a customer’s card dispute is open.</li>}
          {view.pendingCents === 0 && <li>Everything you are owed is due in the next payout.</li>}
        </ul>
      </div>
      <div className="card">
        <h2 className="text-sm font-medium text-slate-600">Next payout</h2>
        <p className="mt-1 text-lg font-bold" data-testid="next-payout">
          {nextPayoutWords(view.nextPayoutAt)}
        </p>
        <p className="mt-2 text-sm text-slate-600">Every Monday at 00:00 UTC, for the week that just ended.</p>
      </div>
    </section>
  );
}

function Weeks({ view }: { view: EarningsView }) {
  const c = (cents: number) => formatCents(cents, view.currency);
  const now = Date.now();
  return (
    <section aria-labelledby="weeks-title">
      <h2 id="weeks-title" className="mb-3 text-lg font-bold">
        By week
      </h2>
      {view.periods.length === 0 ? (
        <Empty>No weeks with earnings yet.</Empty>
      ) : (
        <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="p-2 font-medium sm:p-3">
                  Week (UTC)
                </th>
                <th scope="col" className="p-2 text-right font-medium sm:p-3">
                  Earned
                </th>
                <th scope="col" className="p-2 text-right font-medium sm:p-3">
                  Refunded
                </th>
                <th scope="col" className="p-2 text-right font-medium sm:p-3">
                  Paid out
                </th>
                <th scope="col" className="hidden p-3 font-medium sm:table-cell">
                  Payout
                </th>
              </tr>
            </thead>
            <tbody>
              {view.periods.map((p) => (
                <tr key={p.periodEnd} className="border-t border-slate-100">
                  <td className="p-2 sm:p-3">
                    <span className="whitespace-nowrap">{weekOf(p.periodStart, p.periodEnd)}</span>
                    <span className="block text-xs text-slate-500 sm:hidden">{payoutWords(p, now)}</span>
                  </td>
                  <td className="whitespace-nowrap p-2 text-right tabular-nums sm:p-3">{c(p.earnedCents)}</td>
                  <td className="whitespace-nowrap p-2 text-right tabular-nums sm:p-3">
                    {p.reversedCents ? `−${c(p.reversedCents)}` : '—'}
                  </td>
                  <td className="whitespace-nowrap p-2 text-right tabular-nums sm:p-3">
                    {p.paidCents ? c(p.paidCents) : '—'}
                  </td>
                  <td className="hidden min-w-40 p-3 sm:table-cell">{payoutWords(p, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Sessions({ view, planName }: { view: EarningsView; planName: (slug: string) => string }) {
  const c = (cents: number) => formatCents(cents, view.currency);
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title" className="mb-3 text-lg font-bold">
        By session
      </h2>
      {view.sessions.length === 0 ? (
        <Empty>No paid sessions yet.</Empty>
      ) : (
        <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="p-2 font-medium sm:p-3">
                  Vehicle
                </th>
                <th scope="col" className="hidden p-3 font-medium sm:table-cell">
                  Plan
                </th>
                <th scope="col" className="hidden p-3 font-medium sm:table-cell">
                  Ended
                </th>
                <th scope="col" className="p-2 text-right font-medium sm:p-3">
                  Your share
                </th>
              </tr>
            </thead>
            <tbody>
              {view.sessions.map((s) => (
                <tr key={s.sessionId} className="border-t border-slate-100" data-session-id={s.sessionId}>
                  <td className="p-2 sm:p-3">
                    <Link href={`/sessions/${s.sessionId}`} className="underline">
                      {s.vehicle}
                    </Link>
                    <span className="block text-xs text-slate-500 sm:hidden">
                      {planName(s.plan)} · {formatTime(s.endedAt)}
                    </span>
                  </td>
                  <td className="hidden whitespace-nowrap p-3 sm:table-cell">{planName(s.plan)}</td>
                  <td className="hidden whitespace-nowrap p-3 sm:table-cell">{formatTime(s.endedAt)}</td>
                  <td className="whitespace-nowrap p-2 text-right tabular-nums sm:p-3" data-testid="net">
                    {c(s.netCents)}
                    {s.reversedCents > 0 && (
                      <span className="block text-xs text-slate-500">
                        {c(s.creditedCents)} less {c(s.reversedCents)} refunded
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
