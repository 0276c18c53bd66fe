import { useState, type ReactNode } from 'react';
import { accounts, payments, type PaymentStory as Story, type Refund } from '../../../shared/contract';
import { formatCents } from '../../lib/cents';
import { loadSentence } from '../../lib/form-errors';
import { formatTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Notice, PageTitle, Spinner, StatusBadge } from '../../components/ui';
import { AdminShell } from './admin-shell';
import { isRefundable, PAYMENT_STATUS_LABEL, shortId } from './money-labels';
import { Events, Jobs, Ledger } from './payment-ledger';
import { RefundDialog } from './refund-dialog';
import { Section } from './section';

/** One payment's whole story (payments.md §7): what was held, charged, refunded and booked, and why. */
export function PaymentStory({ id }: { id: string }) {
  const { data, error, reload } = useEndpoint(payments.adminPayment, { params: { id } });
  const plans = useEndpoint(accounts.plans, {});
  const [refunding, setRefunding] = useState(false);
  const [result, setResult] = useState<{ tone: 'success' | 'error' | 'info'; text: string } | null>(null);

  const refunded = (refund: Refund) => {
    setRefunding(false);
    const amount = formatCents(refund.amountCents, refund.currency);
    setResult(
      refund.status === 'succeeded'
        ? { tone: 'success', text: `Refunded ${amount}. The customer sees it on their receipt.` }
        : refund.status === 'pending'
          ? {
              tone: 'info',
              text: `The refund of ${amount} is under way; it is retried until the provider confirms it.`,
            }
          : { tone: 'error', text: `The provider refused the refund of ${amount}: nothing was refunded.` },
    );
    void reload();
  };

  if (error)
    return (
      <AdminShell>
        <Notice tone="error">
          {loadSentence('The payment could not be loaded.', error, {
            NOT_FOUND: 'There is no such payment.',
            VALIDATION_FAILED: 'There is no such payment: this address does not hold a payment’s id.',
          })}
        </Notice>
      </AdminShell>
    );
  if (!data)
    return (
      <AdminShell>
        <Spinner />
      </AdminShell>
    );
  const { payment } = data;
  const c = (cents: number) => formatCents(cents, payment.currency);
  // What the server will still refund: captured, less every refund not failed (pending ones included).
  const committed = data.refunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amountCents, 0);
  const refundable = Math.max(0, payment.capturedCents - committed);
  const canRefund = isRefundable(payment.status) && refundable > 0;
  return (
    <AdminShell>
      <PageTitle
        action={
          canRefund && (
            <button className="btn-danger" onClick={() => (setResult(null), setRefunding(true))}>
              Refund…
            </button>
          )
        }
      >
        Payment {c(payment.amountCents)} · {PAYMENT_STATUS_LABEL[payment.status]}
      </PageTitle>
      {refunding && (
        <RefundDialog
          paymentId={payment.id}
          currency={payment.currency}
          refundableCents={refundable}
          onClose={() => setRefunding(false)}
          onRefunded={refunded}
        />
      )}
      {result && <Notice tone={result.tone}>{result.text}</Notice>}
      {payment.dispute === 'open' && (
        <Notice tone="warning">
          The customer disputes this charge with their bank. The mechanic’s share is held out of payouts until it is
          resolved.
        </Notice>
      )}
      <Section title="Authorisation and card">
        <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm sm:gap-x-6">
          <Row term="Customer">{data.customerEmail}</Row>
          <Row term="Plan">{plans.data?.items.find((p) => p.slug === payment.plan)?.name ?? payment.plan}</Row>
          <Row term="Authorised">
            {c(payment.amountCents)}
            {payment.authorizedAt ? ` on ${formatTime(payment.authorizedAt)}` : ' — not authorised'}
          </Row>
          <Row term="Charged">{payment.capturedCents ? c(payment.capturedCents) : '—'}</Row>
          <Row term="Refunded">
            <span data-testid="refunded">{payment.refundedCents ? c(payment.refundedCents) : '—'}</span>
          </Row>
          <Row term="Card">
            {payment.card ? `${capitalise(payment.card.brand)} •••• ${payment.card.last4}` : 'No card yet'}
          </Row>
          {(payment.failureCode || payment.declineCode) && (
            <Row term="Refused">{[payment.failureCode, payment.declineCode].filter(Boolean).join(' · ')}</Row>
          )}
          <Row term="Provider">
            {payment.provider}
            {data.providerRef && <span className="ml-2 break-all font-mono text-xs">{data.providerRef}</span>}
          </Row>
          <Row term="Created">{formatTime(payment.createdAt)}</Row>
          <Row term="Payment id">
            <span className="break-all font-mono text-xs">{payment.id}</span>
          </Row>
        </dl>
      </Section>
      <div className="grid gap-6 md:grid-cols-2">
        <Section title="Session">
          {data.session ? (
            <div className="space-y-1 text-sm">
              <p className="flex flex-wrap items-center gap-2">
                <StatusBadge status={data.session.status} />
                <Link href={`/admin/sessions/${data.session.id}`} className="underline">
                  Session {shortId(data.session.id)}
                </Link>
              </p>
              <p>Ended {formatTime(data.session.endedAt)}</p>
              {data.session.mechanicId && (
                <p>
                  Mechanic <span className="font-mono text-xs">{data.session.mechanicId}</span> ·{' '}
                  <Link href={`/admin/payouts?mechanicId=${data.session.mechanicId}`} className="underline">
                    their payouts
                  </Link>
                </p>
              )}
            </div>
          ) : (
            <Empty>Not attached to a session (an abandoned checkout is released after 30 minutes).</Empty>
          )}
        </Section>
        <Section title="Extensions">
          {data.extensions.length === 0 ? (
            <p className="text-sm text-slate-600">No extra time bought.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {data.extensions.map((x) => (
                <li key={x.id}>
                  {x.minutes} minutes for {c(x.amountCents)} · {x.status}
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section title="Refunds">
          {data.refunds.length === 0 ? (
            <p className="text-sm text-slate-600">Nothing refunded.</p>
          ) : (
            <ul className="space-y-2 text-sm" data-testid="refunds">
              {data.refunds.map((r) => (
                <li key={r.id} className={r.status === 'failed' ? 'text-red-800' : ''}>
                  <strong>{c(r.amountCents)}</strong> · {REFUND_STATUS[r.status]} · {formatTime(r.createdAt)}
                  <span className="block text-slate-600">“{r.reason}”</span>
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section title="Refund request">
          {data.refundRequest ? (
            <div className="space-y-1 text-sm">
              <p>
                <strong>{REQUEST_STATUS[data.refundRequest.status]}</strong> · asked{' '}
                {formatTime(data.refundRequest.createdAt)}
                {data.refundRequest.decidedAt && ` · decided ${formatTime(data.refundRequest.decidedAt)}`}
              </p>
              <p className="text-slate-600">The customer wrote: “{data.refundRequest.reason}”</p>
              {data.refundRequest.decisionNote && (
                <p className="text-slate-600">Our answer: “{data.refundRequest.decisionNote}”</p>
              )}
              {data.refundRequest.status === 'pending' && (
                <Link href="/admin/refund-requests" className="underline">
                  Decide it in the refund requests queue
                </Link>
              )}
            </div>
          ) : (
            <p className="text-sm text-slate-600">The customer has not asked for a refund.</p>
          )}
        </Section>
        <Section title="Disputes">
          {data.disputes.length === 0 ? (
            <p className="text-sm text-slate-600">No card disputes.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {data.disputes.map((d) => (
                <li key={d.id}>
                  <strong>{c(d.amountCents)}</strong> · {d.status} · opened {formatTime(d.openedAt)}
                  {d.closedAt && ` · closed ${formatTime(d.closedAt)}`}
                  {d.reason && ` · ${d.reason}`}
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
      <Ledger lines={data.ledger} currency={payment.currency} />
      <Events events={data.events} />
      <Jobs jobs={data.jobs} onRetried={() => void reload()} />
    </AdminShell>
  );
}

const REFUND_STATUS: Record<Refund['status'], string> = {
  pending: 'under way',
  succeeded: 'refunded',
  failed: 'refused by the provider',
};
const REQUEST_STATUS: Record<NonNullable<Story['refundRequest']>['status'], string> = {
  pending: 'Waiting for a decision',
  approved: 'Approved',
  declined: 'Declined',
};

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{term}</dt>
      <dd className="min-w-0 [overflow-wrap:anywhere]">{children}</dd>
    </>
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
