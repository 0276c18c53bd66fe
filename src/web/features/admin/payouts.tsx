import { useState, type FormEvent } from 'react';
import { payments } from '../../../shared/contract';
import { call } from '../../lib/api';
import { formatCents } from '../../lib/cents';
import { loadSentence, problemSentence, readServerError } from '../../lib/form-errors';
import { PAYOUT_FILTERS } from '../../lib/form-words';
import { formatTime } from '../../lib/format';
import { Link, navigate, usePath } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Field, Notice, PageTitle, Spinner } from '../../components/ui';
import { AdminShell } from './admin-shell';
import { PAYOUT_STATUS_LABEL, periodWords, shortId } from './money-labels';

/** Weekly payouts to mechanics (payments.md §3), newest period first; runs the ones due on demand. */
export function Payouts() {
  const mechanicId = new URLSearchParams(usePath().split('?')[1] ?? '').get('mechanicId') ?? '';
  const { data, error, reload } = useEndpoint(payments.payouts, {
    query: { limit: 200, ...(mechanicId ? { mechanicId } : {}) },
  });
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<{ tone: 'success' | 'info' | 'error'; text: string } | null>(null);

  const run = async () => {
    setRunning(true);
    setResult(null);
    try {
      const { items } = await call(payments.runPayouts);
      setResult(
        items.length === 0
          ? {
              tone: 'info',
              text: 'Nothing was due: no mechanic is owed anything for the weeks that have ended. This week is paid after it ends.',
            }
          : {
              tone: 'success',
              text: `${items.length} payout${items.length === 1 ? ' was' : 's were'} created for ${periodWords(items[0]!.periodStart, items[0]!.periodEnd)}, ${formatCents(
                items.reduce((sum, p) => sum + p.amountCents, 0),
                items[0]!.currency,
              )} in all.`,
            },
      );
      await reload();
    } catch (caught) {
      setResult({ tone: 'error', text: `The payouts could not be run. ${problemSentence(caught)}` });
    } finally {
      setRunning(false);
    }
  };

  return (
    <AdminShell>
      <PageTitle
        action={
          <button className="btn-primary" onClick={() => void run()} disabled={running}>
            {running ? 'Running payouts…' : 'Run payouts'}
          </button>
        }
      >
        Payouts
      </PageTitle>
      <p className="text-sm text-slate-600">
        Every Monday at 00:00 UTC each mechanic is paid what they earned up to then, less what open disputes hold.
        Running it again pays nobody twice.
      </p>
      {result && <Notice tone={result.tone}>{result.text}</Notice>}
      <MechanicFilter
        key={mechanicId}
        value={mechanicId}
        error={readServerError(PAYOUT_FILTERS, error).fields.mechanicId}
      />
      {error && !error.fields.length && (
        <Notice tone="error">{loadSentence('The payouts could not be loaded.', error)}</Notice>
      )}
      {!data ? (
        !error && <Spinner />
      ) : data.items.length === 0 ? (
        <Empty>{mechanicId ? 'No payouts to this mechanic yet.' : 'No payouts yet.'}</Empty>
      ) : (
        <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="p-3 font-medium">
                  Week (UTC)
                </th>
                <th scope="col" className="p-3 font-medium">
                  Mechanic
                </th>
                <th scope="col" className="p-3 text-right font-medium">
                  Amount
                </th>
                <th scope="col" className="p-3 font-medium">
                  Status
                </th>
                <th scope="col" className="p-3 font-medium">
                  Created
                </th>
                <th scope="col" className="p-3 font-medium">
                  Provider reference
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((p) => (
                <tr
                  key={p.id}
                  className={`border-t border-slate-100 ${p.status === 'failed' || p.status === 'blocked' ? 'bg-red-50' : ''}`}
                >
                  <td className="whitespace-nowrap p-3">{periodWords(p.periodStart, p.periodEnd)}</td>
                  <td className="whitespace-nowrap p-3">
                    <Link href={`/admin/payouts?mechanicId=${p.mechanicId}`} className="font-mono text-xs underline">
                      {shortId(p.mechanicId)}
                    </Link>
                  </td>
                  <td className="whitespace-nowrap p-3 text-right tabular-nums">
                    {formatCents(p.amountCents, p.currency)}
                  </td>
                  <td className="whitespace-nowrap p-3">{PAYOUT_STATUS_LABEL[p.status] ?? p.status}</td>
                  <td className="whitespace-nowrap p-3">{formatTime(p.createdAt)}</td>
                  <td className="break-all p-3 font-mono text-xs">{p.providerRef ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AdminShell>
  );
}

function MechanicFilter({ value, error }: { value: string; error?: string }) {
  const [draft, setDraft] = useState(value);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const id = draft.trim();
    navigate(id ? `/admin/payouts?mechanicId=${encodeURIComponent(id)}` : '/admin/payouts');
  };
  return (
    <form onSubmit={apply} aria-label="Filter payouts" className="flex flex-wrap items-start gap-2">
      <div className="min-w-64 flex-1 sm:max-w-md">
        <Field label="Mechanic id" value={draft} onChange={(e) => setDraft(e.target.value)} error={error} />
      </div>
      <div className="flex gap-2 pt-6">
        <button className="btn-primary">Filter</button>
        {value && (
          <button type="button" className="btn-secondary" onClick={() => navigate('/admin/payouts')}>
            All mechanics
          </button>
        )}
      </div>
    </form>
  );
}
