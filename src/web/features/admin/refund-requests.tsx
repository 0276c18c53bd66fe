import { useState, type FormEvent } from 'react';
import { payments, type ResponseOf } from '../../../shared/contract';
import { ApiError, call } from '../../lib/api';
import { formatCents, parseCents } from '../../lib/cents';
import { loadSentence } from '../../lib/form-errors';
import { DECIDE_REFUND, refundTooMuch } from '../../lib/form-words';
import { formatTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { useFormErrors } from '../../lib/use-form-errors';
import { ErrorSummary } from '../../components/error-summary';
import { Empty, Field, Notice, PageTitle, Select, Spinner, TextArea } from '../../components/ui';
import { AdminShell } from './admin-shell';

type Request = ResponseOf<typeof payments.refundRequests>['items'][number];
const FILTERS = ['pending', 'approved', 'declined', 'all'] as const;
type Filter = (typeof FILTERS)[number];
const FILTER_LABEL: Record<Filter, string> = {
  pending: 'Waiting for a decision',
  approved: 'Approved',
  declined: 'Declined',
  all: 'All',
};
/** The list carries no currency; AutoDoctor charges in one. */
const CURRENCY = 'USD';

/** Customers' refund requests (payments.md §3): approving refunds (all or part), declining tells them why. */
export function RefundRequests() {
  const [status, setStatus] = useState<Filter>('pending');
  const { data, error, reload } = useEndpoint(payments.refundRequests, { query: { status } });
  const [done, setDone] = useState<string | null>(null);
  return (
    <AdminShell>
      <PageTitle>Refund requests</PageTitle>
      <div className="max-w-xs">
        <Select
          label="Show"
          value={status}
          onChange={(e) => setStatus(FILTERS.find((f) => f === e.target.value) ?? 'pending')}
        >
          {FILTERS.map((f) => (
            <option key={f} value={f}>
              {FILTER_LABEL[f]}
            </option>
          ))}
        </Select>
      </div>
      {done && <Notice tone="success">{done}</Notice>}
      {error && <Notice tone="error">{loadSentence('The refund requests could not be loaded.', error)}</Notice>}
      {!data ? (
        !error && <Spinner />
      ) : data.items.length === 0 ? (
        <Empty>{status === 'pending' ? 'No refund requests are waiting. ' : 'No refund requests here.'}</Empty>
      ) : (
        <ul className="space-y-3">
          {sortPendingFirst(data.items).map((r) => (
            <li
              key={r.id}
              className="card space-y-3"
              aria-label={`Refund request from ${r.customerEmail ?? 'a customer'}`}
            >
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <p className="min-w-0 break-words font-semibold">{r.customerEmail ?? '(deleted account)'}</p>
                <p className="text-sm">
                  Charged <strong>{formatCents(r.capturedCents, CURRENCY)}</strong> · asked {formatTime(r.createdAt)}
                </p>
              </div>
              <blockquote className="border-l-4 border-slate-200 pl-3 text-sm text-slate-700">{r.reason}</blockquote>
              <p className="flex flex-wrap gap-3 text-sm">
                <Link href={`/admin/payments/${r.paymentId}`} className="underline">
                  The payment
                </Link>
                <Link href={`/admin/sessions/${r.sessionId}`} className="underline">
                  The session
                </Link>
              </p>
              {r.status === 'pending' ? (
                <DecideForm
                  request={r}
                  onDecided={(text) => {
                    setDone(text);
                    void reload();
                  }}
                />
              ) : (
                <p className="text-sm">
                  <strong>{FILTER_LABEL[r.status]}</strong>
                  {r.decidedAt && ` ${formatTime(r.decidedAt)}`}
                  {r.decisionNote && <span className="block text-slate-600">Our answer: “{r.decisionNote}”</span>}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </AdminShell>
  );
}

const sortPendingFirst = (items: Request[]) =>
  [...items].sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending'));

function DecideForm({ request, onDecided }: { request: Request; onDecided: (text: string) => void }) {
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [sending, setSending] = useState<'approve' | 'decline' | null>(null);
  const form = useFormErrors(DECIDE_REFUND);

  const decide = async (approve: boolean) => {
    const cents = amount.trim() ? parseCents(amount) : undefined;
    const values = approve ? { amountCents: amount, note } : { note };
    if (!form.check(values, { note: !approve && !note.trim() ? 'required' : null })) return;
    setSending(approve ? 'approve' : 'decline');
    try {
      const body = approve
        ? {
            approve: true as const,
            ...(cents ? { amountCents: cents } : {}),
            ...(note.trim() ? { note: note.trim() } : {}),
          }
        : { approve: false as const, note: note.trim() };
      await call(payments.decideRefundRequest, { params: { id: request.id }, body });
      onDecided(
        approve
          ? `Approved: ${cents ? formatCents(cents, CURRENCY) : 'everything charged'} is being refunded to ${request.customerEmail ?? 'the customer'}.`
          : `Declined. ${request.customerEmail ?? 'The customer'} sees your note.`,
      );
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'REFUND_EXCEEDS_CAPTURE') {
        const left = caught.refundableCents;
        form.show({ amountCents: refundTooMuch(left ? formatCents(left, CURRENCY) : undefined, left === 0) });
      } else form.fail(caught);
    } finally {
      setSending(null);
    }
  };
  const submit = (event: FormEvent) => (event.preventDefault(), void decide(true));

  return (
    <form
      onSubmit={submit}
      onChange={form.onChange}
      className="grid gap-3 border-t border-slate-100 pt-3 sm:grid-cols-[12rem_1fr]"
      noValidate
    >
      <div className="empty:hidden sm:col-span-2">
        <ErrorSummary form={form} level={3} />
      </div>
      <Field
        label="Amount to refund"
        inputMode="decimal"
        autoComplete="off"
        placeholder="everything"
        hint="Empty: everything not yet refunded"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        {...form.field('amountCents')}
        disabled={sending !== null}
      />
      <TextArea
        label="Note to the customer"
        hint="Required to decline; the customer reads it."
        value={note}
        onChange={(e) => setNote(e.target.value)}
        {...form.field('note')}
        disabled={sending !== null}
      />
      <div className="flex flex-wrap gap-2 sm:col-span-2">
        <button className="btn-primary" disabled={sending !== null}>
          {sending === 'approve' ? 'Approving…' : 'Approve refund'}
        </button>
        <button type="button" className="btn-secondary" disabled={sending !== null} onClick={() => void decide(false)}>
          {sending === 'decline' ? 'Declining…' : 'Decline'}
        </button>
      </div>
    </form>
  );
}
