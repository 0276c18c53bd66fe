import { useState } from 'react';
import { payments, type Job, type PaymentStory } from '../../../shared/contract';
import type { JobState } from '../../../shared/domain';
import { call } from '../../lib/api';
import { problemSentence } from '../../lib/form-errors';
import { formatCents } from '../../lib/cents';
import { formatTime } from '../../lib/format';
import { Notice } from '../../components/ui';
import { shortId } from './money-labels';
import { Section } from './section';

type Line = PaymentStory['ledger'][number];

/** The lines of each ledger transaction together, in the order they were booked. */
function byTransaction(lines: Line[]): { id: number; kind: string; reference: string; at: string; lines: Line[] }[] {
  const groups = new Map<number, { id: number; kind: string; reference: string; at: string; lines: Line[] }>();
  for (const line of lines) {
    const group = groups.get(line.transactionId) ?? {
      id: line.transactionId,
      kind: line.kind,
      reference: line.reference,
      at: line.at,
      lines: [],
    };
    group.lines.push(line);
    groups.set(line.transactionId, group);
  }
  return [...groups.values()];
}

function accountWords(account: string): string {
  if (account === 'provider') return 'Payment provider';
  if (account === 'platform_revenue') return 'Platform revenue';
  if (account === 'payouts') return 'Payouts';
  if (account.startsWith('mechanic:')) return `Mechanic ${shortId(account.slice('mechanic:'.length))}`;
  return account;
}

const signed = (cents: number, currency: string) => (cents > 0 ? '+' : '') + formatCents(cents, currency);

export function Ledger({ lines, currency }: { lines: Line[]; currency: string }) {
  const groups = byTransaction(lines);
  return (
    <Section title="Ledger">
      <p className="mb-3 text-sm text-slate-600">
        Positive is what the platform holds or is owed; negative is what it owes someone or has earned. Every
        transaction sums to zero.
      </p>
      {groups.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing booked yet: money is booked when it is charged.</p>
      ) : (
        <div className="space-y-4">
          {groups.map((group) => {
            const sum = group.lines.reduce((total, line) => total + line.amountCents, 0);
            return (
              <div
                key={group.id}
                className="relative overflow-x-auto rounded-lg border border-slate-200"
                data-testid="ledger-transaction"
              >
                <table className="w-full text-left text-sm">
                  <caption className="bg-slate-50 px-3 py-2 text-left">
                    <span className="font-semibold capitalize">{group.kind.replaceAll('_', ' ')}</span>{' '}
                    <span className="break-all font-mono text-xs text-slate-600">{group.reference}</span>{' '}
                    <span className="text-xs text-slate-500">· {formatTime(group.at)}</span>
                  </caption>
                  <thead className="sr-only">
                    <tr>
                      <th scope="col">Account</th>
                      <th scope="col">Amount</th>
                    </tr>
                  </thead>
                  <tbody>
                    {group.lines.map((line, i) => (
                      <tr key={i} className="border-t border-slate-100">
                        <td className="p-2 pl-3">
                          {accountWords(line.account)}{' '}
                          <span className="hidden font-mono text-xs text-slate-500 sm:inline">{line.account}</span>
                        </td>
                        <td className="whitespace-nowrap p-2 pr-3 text-right tabular-nums">
                          {signed(line.amountCents, currency)}
                        </td>
                      </tr>
                    ))}
                    <tr
                      className={`border-t border-slate-300 ${sum === 0 ? 'text-slate-600' : 'bg-red-50 text-red-800'}`}
                    >
                      <td className="p-2 pl-3 font-medium">
                        {sum === 0 ? 'Sums to zero' : 'Does not sum to zero (M1 broken)'}
                      </td>
                      <td className="whitespace-nowrap p-2 pr-3 text-right font-medium tabular-nums">
                        {formatCents(sum, currency)}
                      </td>
                    </tr>
                  </tbody>
                </table>
              </div>
            );
          })}
        </div>
      )}
    </Section>
  );
}

export function Events({ events }: { events: PaymentStory['events'] }) {
  return (
    <Section title="Provider events">
      {events.length === 0 ? (
        <p className="text-sm text-slate-600">No events from the provider.</p>
      ) : (
        <ol className="space-y-1 text-sm">
          {events.map((e) => (
            <li key={e.id}>
              <span className="text-slate-500">{formatTime(e.receivedAt)}</span> <strong>{e.type}</strong> · {e.outcome}{' '}
              <span className="break-all font-mono text-xs text-slate-500">{e.id}</span>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}

const JOB_STATE: Record<JobState, string> = {
  queued: 'Queued',
  running: 'Running',
  retrying: 'Waiting to retry',
  dead: 'Gave up',
  done: 'Done',
};

export function Jobs({ jobs, onRetried }: { jobs: Job[]; onRetried: () => void }) {
  const [busy, setBusy] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const retry = async (id: number) => {
    setBusy(id);
    setFailure(null);
    try {
      await call(payments.retryJob, { params: { id } });
      onRetried();
    } catch (caught) {
      setFailure(
        `The job could not be retried. ${problemSentence(caught, {
          INVALID_TRANSITION: 'Only a dead or waiting job is retried, and this one has moved on. Reload to see it.',
        })}`,
      );
    } finally {
      setBusy(null);
    }
  };
  return (
    <Section title="Jobs">
      {failure && <Notice tone="error">{failure}</Notice>}
      {jobs.length === 0 ? (
        <p className="text-sm text-slate-600">No jobs for this payment.</p>
      ) : (
        <ul className="space-y-3 text-sm">
          {jobs.map((job) => (
            <li
              key={job.id}
              className={`flex flex-wrap items-start justify-between gap-2 ${job.state === 'dead' ? 'text-red-800' : ''}`}
            >
              <div className="min-w-0">
                <p>
                  <strong>{job.kind}</strong> · {JOB_STATE[job.state]} · attempt {job.attempts} of {job.maxAttempts} ·{' '}
                  {job.state === 'done' ? `updated ${formatTime(job.updatedAt)}` : `runs ${formatTime(job.runAt)}`}
                </p>
                <p className="break-all font-mono text-xs text-slate-500">{job.key}</p>
                {job.lastError && <p className="break-words text-xs">Last error: {job.lastError}</p>}
              </div>
              {job.state === 'dead' && (
                <button className="btn-secondary" disabled={busy !== null} onClick={() => void retry(job.id)}>
                  {busy === job.id ? 'Retrying…' : 'Retry'}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
