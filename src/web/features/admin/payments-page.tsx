import { useState, type FormEvent } from 'react';
import { payments } from '../../../shared/contract';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../../shared/domain';
import { call, type ApiError } from '../../lib/api';
import { formatCents } from '../../lib/cents';
import { loadSentence, problemSentence, readServerError } from '../../lib/form-errors';
import { PAYMENT_FILTERS } from '../../lib/form-words';
import { formatTime } from '../../lib/format';
import { Link, navigate, usePath } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Field, Notice, PageTitle, Select, Spinner } from '../../components/ui';
import { AdminShell } from './admin-shell';
import { PAYMENT_STATUS_LABEL } from './money-labels';

const FILTERS = ['status', 'customer', 'mechanicId', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

const isPaymentStatus = (value: string): value is PaymentStatus => PAYMENT_STATUSES.some((s) => s === value);

/** The filters live in the address, so a filtered list can be shared, reloaded and gone back to. */
function filtersOf(search: string): Filters {
  const params = new URLSearchParams(search);
  const get = (name: keyof Filters) => params.get(name) ?? '';
  return {
    status: get('status'),
    customer: get('customer'),
    mechanicId: get('mechanicId'),
    from: get('from'),
    to: get('to'),
  };
}

export function AdminPayments() {
  const search = usePath().split('?')[1] ?? '';
  const filters = filtersOf(search);
  const { data, error, loading, reload } = useEndpoint(payments.adminPayments, {
    query: {
      limit: 100,
      ...(isPaymentStatus(filters.status) ? { status: filters.status } : {}),
      ...(filters.customer ? { customer: filters.customer } : {}),
      ...(filters.mechanicId ? { mechanicId: filters.mechanicId } : {}),
      ...(filters.from ? { from: filters.from } : {}),
      ...(filters.to ? { to: filters.to } : {}),
    },
  });
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [retrying, setRetrying] = useState<string | null>(null);

  const retry = async (id: string) => {
    setRetrying(id);
    setMessage(null);
    try {
      await call(payments.retryCapture, { params: { id } });
      setMessage({ tone: 'success', text: 'The capture is being tried again. Its result appears here in a moment.' });
      await reload();
    } catch (caught) {
      setMessage({
        tone: 'error',
        text: `The capture could not be tried again. ${problemSentence(caught, {
          INVALID_TRANSITION: 'Only a failed capture is tried again, and this payment has moved on. Reload to see it.',
          NOT_FOUND: 'This payment has no capture to try again.',
        })}`,
      });
    } finally {
      setRetrying(null);
    }
  };

  const hasFieldErrors = Boolean(error?.fields.length);
  return (
    <AdminShell>
      <PageTitle>Payments</PageTitle>
      <FilterForm key={search} filters={filters} error={error} />
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      {error && (
        <Notice tone="error">
          {hasFieldErrors
            ? 'Some filters are not valid: see the messages under them.'
            : loadSentence('The payments could not be loaded.', error)}
        </Notice>
      )}
      {!data ? (
        !error && <Spinner />
      ) : data.items.length === 0 ? (
        <Empty>No payments match these filters.</Empty>
      ) : (
        <div
          className={`relative overflow-x-auto rounded-xl border border-slate-200 bg-white ${loading ? 'opacity-60' : ''}`}
        >
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="p-3 font-medium">
                  Customer
                </th>
                <th scope="col" className="p-3 text-right font-medium">
                  Amount
                </th>
                <th scope="col" className="p-3 text-right font-medium">
                  Captured
                </th>
                <th scope="col" className="p-3 text-right font-medium">
                  Refunded
                </th>
                <th scope="col" className="p-3 font-medium">
                  Status
                </th>
                <th scope="col" className="p-3">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((p) => {
                const failed = p.status === 'capture_failed';
                return (
                  <tr
                    key={p.id}
                    data-payment-id={p.id}
                    className={`border-t border-slate-100 ${failed ? 'bg-red-50' : ''}`}
                  >
                    <td className="p-3">
                      <span className="block max-w-44 truncate sm:max-w-64" title={p.customerEmail}>
                        {p.customerEmail}
                      </span>
                      <span className="block whitespace-nowrap text-xs text-slate-500">{formatTime(p.createdAt)}</span>
                    </td>
                    <td className="whitespace-nowrap p-3 text-right tabular-nums">
                      {formatCents(p.amountCents, p.currency)}
                    </td>
                    <td className="whitespace-nowrap p-3 text-right tabular-nums">
                      {p.capturedCents ? formatCents(p.capturedCents, p.currency) : '—'}
                    </td>
                    <td className="whitespace-nowrap p-3 text-right tabular-nums">
                      {p.refundedCents ? formatCents(p.refundedCents, p.currency) : '—'}
                    </td>
                    <td className="whitespace-nowrap p-3">
                      <span className={failed ? 'font-semibold text-red-800' : ''}>
                        {PAYMENT_STATUS_LABEL[p.status]}
                      </span>
                      {p.dispute && (
                        <span className="ml-2 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900">
                          Disputed{p.dispute === 'open' ? '' : ` (${p.dispute})`}
                        </span>
                      )}
                    </td>
                    <td className="whitespace-nowrap p-3 text-right">
                      {failed && (
                        <button
                          className="btn-danger mr-2 px-3 py-1"
                          disabled={retrying !== null}
                          onClick={() => void retry(p.id)}
                        >
                          {retrying === p.id ? 'Retrying…' : 'Retry capture'}
                        </button>
                      )}
                      <Link href={`/admin/payments/${p.id}`} className="underline">
                        Open
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </AdminShell>
  );
}

function FilterForm({ filters, error }: { filters: Filters; error: ApiError | null }) {
  const [draft, setDraft] = useState(filters);
  const [datesWrong, setDatesWrong] = useState(false);
  const set = (name: keyof Filters) => (event: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [name]: event.target.value }));
  const refused = readServerError(PAYMENT_FILTERS, error).fields;
  const apply = (event: FormEvent) => {
    event.preventDefault();
    // ISO dates compare as text.
    if (draft.from && draft.to && draft.from > draft.to) return setDatesWrong(true);
    setDatesWrong(false);
    const params = new URLSearchParams();
    for (const name of FILTERS) if (draft[name].trim()) params.set(name, draft[name].trim());
    const query = params.toString();
    navigate(query ? `/admin/payments?${query}` : '/admin/payments');
  };
  return (
    <form
      onSubmit={apply}
      aria-label="Filter payments"
      className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-[repeat(5,minmax(0,1fr))_auto] lg:items-start"
    >
      <Select label="Status" value={draft.status} onChange={set('status')}>
        <option value="">Any</option>
        {PAYMENT_STATUSES.map((s) => (
          <option key={s} value={s}>
            {PAYMENT_STATUS_LABEL[s]}
          </option>
        ))}
      </Select>
      <Field
        label="Customer email"
        type="search"
        value={draft.customer}
        onChange={set('customer')}
        error={refused.customer}
      />
      <Field label="Mechanic id" value={draft.mechanicId} onChange={set('mechanicId')} error={refused.mechanicId} />
      <Field label="From" type="date" value={draft.from} onChange={set('from')} error={refused.from} />
      <Field
        label="To"
        type="date"
        value={draft.to}
        onChange={set('to')}
        error={datesWrong ? PAYMENT_FILTERS.fields.to.range : refused.to}
      />
      <div className="flex gap-2 lg:pt-6">
        <button className="btn-primary">Filter</button>
        <button
          type="button"
          className="btn-secondary"
          onClick={() => navigate('/admin/payments')}
          disabled={FILTERS.every((name) => !filters[name])}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
