import { useEffect, useState } from 'react';
import { payments, type SessionMoney } from '../../../shared/contract';
import { ApiError, call, messageOf } from '../../lib/api';
import { money } from '../../lib/format';
import { Link } from '../../lib/router';
import { moneyOutcome, refundRequestWords } from '../../lib/payment-words';
import { useEndpoint } from '../../lib/use-endpoint';

/** How long after a completed session its customer may ask for their money back (payments.md §3). */
const REFUND_REQUEST_DAYS = 7;

/**
 * What was charged or released, for the customer of an ended session, and their refund request.
 * The capture runs just after the end (a job), so while it is settling this asks again every two
 * seconds.
 */
export function MoneySummary({
  sessionId,
  version,
  endedAt,
}: {
  sessionId: string;
  version: number;
  endedAt: string | null;
}) {
  const view = useEndpoint(payments.money, { params: { id: sessionId } }, [version]);
  const settling = view.data?.outcome === 'pending' || view.data?.outcome === 'authorized';
  const { reload } = view;
  useEffect(() => {
    if (!settling) return;
    const timer = setInterval(() => void reload(), 2000);
    return () => clearInterval(timer);
  }, [settling, reload]);
  const sentence = view.data ? moneyOutcome(view.data) : null;
  if (!sentence || !view.data) return null;
  const canAsk =
    view.data.outcome === 'charged' &&
    view.data.capturedCents > view.data.refundedCents &&
    endedAt !== null &&
    Date.now() - Date.parse(endedAt) < REFUND_REQUEST_DAYS * 86_400_000;
  return (
    <div className="mt-1 space-y-2">
      <p className="text-sm" data-testid="money-outcome">
        {sentence}{' '}
        {view.data.payment && !settling && (
          <Link href="/receipts" className="underline">
            Receipts
          </Link>
        )}
      </p>
      {view.data.refundRequest ? (
        <p className="text-sm" data-testid="refund-request">
          {refundRequestWords(view.data.refundRequest)}
        </p>
      ) : (
        canAsk && <RefundRequestForm sessionId={sessionId} view={view.data} onSent={() => void reload()} />
      )}
    </div>
  );
}

/** "Not satisfied? Ask for a refund": a reason, sent to the support team's queue. */
function RefundRequestForm({ sessionId, view, onSent }: { sessionId: string; view: SessionMoney; onSent: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <button className="text-sm text-blue-800 underline" onClick={() => setOpen(true)}>
        Not satisfied? Ask for a refund
      </button>
    );
  }
  const send = async () => {
    if (reason.trim().length < 10) {
      setError('Tell us a little more about what went wrong: at least 10 characters.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await call(payments.requestRefund, { params: { id: sessionId }, body: { reason } });
      onSent();
    } catch (caught) {
      setError(
        caught instanceof ApiError
          ? caught.field('reason')
            ? `The reason ${caught.field('reason')}.`
            : caught.message
          : messageOf(caught),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-3"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label htmlFor="refund-reason" className="label">
        What went wrong? (charged {money(view.capturedCents - view.refundedCents, view.payment?.currency)})
      </label>
      <textarea
        id="refund-reason"
        className="input min-h-20"
        value={reason}
        maxLength={2000}
        onChange={(e) => setReason(e.target.value)}
        aria-describedby="refund-reason-hint"
        aria-invalid={error ? true : undefined}
      />
      <p id="refund-reason-hint" className="text-xs text-slate-500">
        A sentence or two (at least 10 characters). Our support team reads every request and answers here.
      </p>
      {error && (
        <p role="alert" className="text-sm text-red-800">
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <button className="btn-primary" disabled={busy}>
          {busy ? 'Sending…' : 'Ask for a refund'}
        </button>
        <button type="button" className="btn-secondary" onClick={() => setOpen(false)} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
