import { payments } from '../../../shared/contract';
import { formatCents } from '../../lib/cents';
import { loadSentence } from '../../lib/form-errors';
import { formatTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Notice, PageTitle, Spinner } from '../../components/ui';
import { AdminShell } from './admin-shell';

const STATUS: Record<string, string> = { open: 'Open', won: 'Won', lost: 'Lost' };
/** The list carries no currency; AutoDoctor charges in one. */
const CURRENCY = 'USD';

/** Card disputes (chargebacks) from the provider: while one is open, the mechanic's share is held. */
export function Disputes() {
  const { data, error } = useEndpoint(payments.disputes, {});
  return (
    <AdminShell>
      <PageTitle>Disputes</PageTitle>
      <p className="text-sm text-slate-600">
        A customer’s bank disputing a charge. While a dispute is open, the mechanic’s share of that payment is held out
        of their payouts.
      </p>
      {error && <Notice tone="error">{loadSentence('The disputes could not be loaded.', error)}</Notice>}
      {!data ? (
        !error && <Spinner />
      ) : data.items.length === 0 ? (
        <Empty>No card disputes.</Empty>
      ) : (
        <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="p-3 font-medium">
                  Opened
                </th>
                <th scope="col" className="p-3 text-right font-medium">
                  Amount
                </th>
                <th scope="col" className="p-3 font-medium">
                  Status
                </th>
                <th scope="col" className="p-3 font-medium">
                  Reason
                </th>
                <th scope="col" className="p-3 font-medium">
                  Closed
                </th>
                <th scope="col" className="p-3">
                  <span className="sr-only">Payment</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((d) => (
                <tr key={d.id} className={`border-t border-slate-100 ${d.status === 'open' ? 'bg-amber-50' : ''}`}>
                  <td className="whitespace-nowrap p-3">{formatTime(d.openedAt)}</td>
                  <td className="whitespace-nowrap p-3 text-right tabular-nums">
                    {formatCents(d.amountCents, CURRENCY)}
                  </td>
                  <td className="p-3">{STATUS[d.status] ?? d.status}</td>
                  <td className="min-w-40 p-3">{d.reason ?? '—'}</td>
                  <td className="whitespace-nowrap p-3">{d.closedAt ? formatTime(d.closedAt) : '—'}</td>
                  <td className="whitespace-nowrap p-3">
                    <Link href={`/admin/payments/${d.paymentId}`} className="underline">
                      The payment
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AdminShell>
  );
}
