import { useEffect, useState } from 'react';
import { payments, type SessionMoney } from '../../../shared/contract';
import { call } from '../../lib/api';
import { REFUND_REQUEST } from '../../lib/form-words';
import { money } from '../../lib/format';
import { Link } from '../../lib/router';
import { moneyOutcome, refundRequestWords } from '../../lib/payment-words';
import { useEndpoint } from '../../lib/use-endpoint';
import { useFormErrors } from '../../lib/use-form-errors';
import { ErrorSummary } from '../../components/error-summary';
import { TextArea } from '../../components/ui';

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
  const form = useFormErrors(REFUND_REQUEST);
  if (!open) {
    return (
      <button className="min-h-11 text-sm text-blue-800 underline" onClick={() => setOpen(true)}>
        Not satisfied? Ask for a refund
      </button>
    );
  }
  const send = async () => {
    if (!form.check({ reason })) return;
    setBusy(true);
    try {
      await call(payments.requestRefund, { params: { id: sessionId }, body: { reason: reason.trim() } });
      onSent();
    } catch (caught) {
      form.fail(caught);
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
      onChange={form.onChange}
      noValidate
    >
      <ErrorSummary form={form} level={3} listFields={false} />
      <TextArea
        label={`What went wrong? (charged ${money(view.capturedCents - view.refundedCents, view.payment?.currency)})`}
        className="input min-h-20"
        value={reason}
        maxLength={2000}
        onChange={(e) => setReason(e.target.value)}
        hint="A sentence or two (at least 10 characters). Our support team reads every request and answers here."
        {...form.field('reason')}
      />
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
