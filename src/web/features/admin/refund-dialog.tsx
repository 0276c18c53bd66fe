import { useState, type FormEvent } from 'react';
import { payments, type Refund } from '../../../shared/contract';
import { ApiError, call } from '../../lib/api';
import { formatCents, parseCents } from '../../lib/cents';
import { fieldProblem } from '../../lib/field-problem';
import { Dialog } from '../../components/dialog';
import { Field, Notice, TextArea } from '../../components/ui';

type Problems = { amount?: string; reason?: string; form?: string };

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
  const [problems, setProblems] = useState<Problems>({});

  const parsed = amount.trim() ? parseCents(amount) : undefined;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    const found: Problems = {};
    if (parsed === null) found.amount = 'Type the amount in dollars and cents, like 4.99.';
    else if (parsed === 0) found.amount = 'The amount must be more than zero, or leave it empty to refund everything.';
    if (!reason.trim()) found.reason = 'Give a reason: it is recorded in the audit log.';
    setProblems(found);
    if (found.amount || found.reason) return;
    setSending(true);
    try {
      const refund = await call(payments.refund, {
        params: { id: paymentId },
        body: { reason: reason.trim(), ...(parsed !== undefined && parsed !== null ? { amountCents: parsed } : {}) },
        headers: { 'Idempotency-Key': idempotencyKey },
      });
      onRefunded(refund);
    } catch (caught) {
      setProblems(problemsOf(caught, currency));
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
      <form onSubmit={(e) => void submit(e)} className="space-y-4" noValidate>
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
          error={problems.amount}
          hint={`Leave empty to refund everything left (${formatCents(refundableCents, currency)}).`}
          disabled={sending}
          autoFocus
        />
        <TextArea
          label="Reason (recorded in the audit log)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={problems.reason}
          required
          disabled={sending}
        />
        {problems.form && <Notice tone="error">{problems.form}</Notice>}
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

function problemsOf(caught: unknown, currency: string): Problems {
  if (!(caught instanceof ApiError)) return { form: 'The refund could not be sent. Please try again.' };
  switch (caught.code) {
    case 'REFUND_EXCEEDS_CAPTURE': {
      const left = caught.refundableCents;
      return {
        amount:
          left === undefined
            ? 'That is more than can still be refunded.'
            : left === 0
              ? 'Nothing is left to refund: it has all been refunded already.'
              : `At most ${formatCents(left, currency)} can still be refunded.`,
      };
    }
    case 'IDEMPOTENCY_MISMATCH':
      return {
        form: 'A refund from this dialog may already have gone through with other details. Close it and check the refunds below before trying again.',
      };
    case 'NETWORK':
    case 'SERVICE_UNAVAILABLE':
    case 'INTERNAL':
      return {
        form: 'The refund could not be confirmed. Press the button again: it is the same refund, it will not be made twice.',
      };
    case 'VALIDATION_FAILED': {
      const amount = fieldProblem(caught, 'amountCents', 'The amount', 'The amount is not one that can be refunded.');
      const reason = fieldProblem(caught, 'reason', 'The reason', 'The reason is too long or empty.');
      return amount || reason ? { amount, reason } : { form: caught.message };
    }
    default:
      return { form: caught.message };
  }
}
