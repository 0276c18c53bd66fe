import { documents, payments } from '../../../shared/contract';
import { Empty, Notice, PageTitle, Spinner } from '../../components/ui';
import { urlOf } from '../../lib/api';
import { formatTime, money } from '../../lib/format';
import { Link } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';

const REFUND_REQUEST_WORDS = {
  pending: 'Refund requested — our support team is reviewing it.',
  approved: 'Refund request approved.',
  declined: 'Refund request declined — the reason is on the session page.',
} as const;

/** Every paid session: what was authorised, charged and refunded, and on which card. */
export function Receipts() {
  const receipts = useEndpoint(payments.receipts, {});
  if (receipts.error) return <Notice tone="error">Your receipts could not be loaded. Please refresh.</Notice>;
  if (!receipts.data) return <Spinner />;
  const items = receipts.data.items;
  return (
    <div className="space-y-6">
      <PageTitle>Receipts</PageTitle>
      {items.length === 0 ? (
        <Empty>Your paid sessions will appear here.</Empty>
      ) : (
        <ul className="space-y-3">
          {items.map((r) => (
            <li key={r.paymentId} className="card space-y-1" aria-label={`Receipt for ${r.vehicle}`}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <p className="font-semibold">
                  {r.planName} · {r.vehicle}
                </p>
                <p className="text-lg font-bold" data-testid="charged">
                  {r.capturedCents > 0 ? money(r.capturedCents - r.refundedCents, r.currency) : 'Nothing charged'}
                </p>
              </div>
              <p className="text-sm text-slate-600">{formatTime(r.requestedAt)}</p>
              <dl className="grid grid-cols-2 gap-x-4 text-sm sm:grid-cols-4">
                <dt className="text-slate-500">Authorised</dt>
                <dd>{money(r.authorizedCents, r.currency)}</dd>
                <dt className="text-slate-500">Charged</dt>
                <dd>{r.capturedCents > 0 ? money(r.capturedCents, r.currency) : '—'}</dd>
                {r.extensionsCents > 0 && (
                  <>
                    <dt className="text-slate-500">Of which extra time</dt>
                    <dd>{money(r.extensionsCents, r.currency)}</dd>
                  </>
                )}
                <dt className="text-slate-500">Refunded</dt>
                <dd data-testid="refunded">{r.refundedCents > 0 ? money(r.refundedCents, r.currency) : '—'}</dd>
                <dt className="text-slate-500">Card</dt>
                <dd>{r.card ? `${r.card.brand} •••• ${r.card.last4}` : '—'}</dd>
              </dl>
              {r.refundRequest && (
                <p className="text-sm" data-testid="refund-request">
                  {REFUND_REQUEST_WORDS[r.refundRequest]}
                </p>
              )}
              <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
                <Link href={`/sessions/${r.sessionId}`} className="underline">
                  The session
                </Link>
                <a href={urlOf(documents.receiptPdf, { params: { id: r.sessionId } })} className="underline" download>
                  Download receipt (PDF)
                </a>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
