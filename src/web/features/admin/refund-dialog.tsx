import { useState, type FormEvent } from 'react';
import { payments, type Refund } from '../../../shared/contract';
import { ApiError, call } from '../../lib/api';
import { formatCents, parseCents } from '../../lib/cents';
import { REFUND, refundTooMuch } from '../../lib/form-words';
import { useFormErrors } from '../../lib/use-form-errors';
import { Dialog } from '../../components/dialog';
import { ErrorSummary } from '../../components/error-summary';
import { Field, TextArea } from '../../components/ui';

/**
 * The admin's refund (payments.md §3), in the shared modal dialog (components/dialog.tsx).
 *
 * Mounted once per opening, so each opening has one Idempotency-Key, made here and sent with
 * every submission from this dialog: a double click, or pressing Refund again after the answer
 * was lost, is the same refund on the server — never two. A refused submission (too much, no
 * reason) created nothing, so sending the corrected one under the same key is still one refund.
 */
export function RefundDialog({
  paymentId,
  currency,
  refundableCents,
  onClose,
  onRefunded,
}: {
  paymentId: string;
  currency: string;
  /** What the page last read as still refundable; the server has the final word. */
  refundableCents: number;
  onClose: () => void;
  onRefunded: (refund: Refund) => void;
}) {
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const form = useFormErrors(REFUND);

  const parsed = amount.trim() ? parseCents(amount) : undefined;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending || !form.check({ amountCents: amount, reason })) return;
    setSending(true);
    try {
      const refund = await call(payments.refund, {
        params: { id: paymentId },
        body: { reason: reason.trim(), ...(parsed !== undefined && parsed !== null ? { amountCents: parsed } : {}) },
        headers: { 'Idempotency-Key': idempotencyKey },
      });
      onRefunded(refund);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'REFUND_EXCEEDS_CAPTURE') {
        const left = caught.refundableCents;
        form.show({
          amountCents: refundTooMuch(left === undefined ? undefined : formatCents(left, currency), left === 0),
        });
      } else form.fail(caught);
    } finally {
      setSending(false);
    }
  };

  const label =
    parsed !== undefined && parsed !== null && parsed > 0
      ? `Refund ${formatCents(parsed, currency)}`
      : 'Refund everything left';
  return (
    <Dialog title="Refund this payment" busy={sending} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} onChange={form.onChange} className="space-y-4" noValidate>
        <ErrorSummary form={form} level={3} />
        <p className="text-sm text-slate-600">
          {refundableCents > 0
            ? `Up to ${formatCents(refundableCents, currency)} can be refunded. The mechanic’s share is reversed in proportion.`
            : 'Nothing seems to be left to refund.'}
        </p>
        <Field
          label="Amount (optional)"
          inputMode="decimal"
          autoComplete="off"
          placeholder="e.g. 4.99"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          {...form.field('amountCents')}
          hint={`Leave empty to refund everything left (${formatCents(refundableCents, currency)}).`}
          disabled={sending}
          autoFocus
        />
        <TextArea
          label="Reason (recorded in the audit log)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          disabled={sending}
          {...form.field('reason')}
        />
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" className="btn-secondary" onClick={onClose} disabled={sending}>
            Cancel
          </button>
          <button className="btn-danger" disabled={sending}>
            {sending ? 'Refunding…' : label}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
