import { useState, type FormEvent } from 'react';
import { payments } from '../../../shared/contract';
import { call } from '../../lib/api';
import { PAYOUT_ACCOUNT } from '../../lib/form-words';
import { Link } from '../../lib/router';
import { useFormErrors } from '../../lib/use-form-errors';
import { ErrorSummary } from '../../components/error-summary';
import { Field, Notice } from '../../components/ui';

/** Sets or clears where a mechanic's payouts go (a Stripe Connect account); audited with the reason. */
export function PayoutAccountForm({ userId }: { userId: string }) {
  const [accountId, setAccountId] = useState('');
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const form = useFormErrors(PAYOUT_ACCOUNT);
  const [done, setDone] = useState<string | null>(null);

  const save = async (clear: boolean) => {
    setDone(null);
    if (!form.check({ ...(clear ? {} : { accountId }), reason })) return;
    setSending(true);
    try {
      const answer = await call(payments.payoutAccount, {
        params: { userId },
        body: { accountId: clear ? null : accountId.trim(), reason: reason.trim() },
      });
      setDone(
        answer.connected
          ? `Payouts to this mechanic now go to ${accountId.trim()}.`
          : 'The payout account is cleared: this mechanic’s earnings are kept until one is set.',
      );
      setReason('');
      if (clear) setAccountId('');
    } catch (caught) {
      form.fail(caught);
    } finally {
      setSending(false);
    }
  };
  const submit = (event: FormEvent) => (event.preventDefault(), void save(false));

  return (
    <form
      onSubmit={submit}
      onChange={form.onChange}
      className="card space-y-3"
      aria-labelledby="payout-account-title"
      noValidate
    >
      <h2 id="payout-account-title" className="font-bold">
        Payout account
      </h2>
      <ErrorSummary form={form} level={3} />
      <p className="text-sm text-slate-600">
        With Stripe, payouts go to the mechanic’s connected account; without one, their earnings wait.{' '}
        <Link href={`/admin/payouts?mechanicId=${userId}`} className="underline">
          Their payouts
        </Link>
      </p>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          label="Connected account id"
          placeholder="acct_…"
          autoComplete="off"
          value={accountId}
          onChange={(e) => setAccountId(e.target.value)}
          {...form.field('accountId')}
          disabled={sending}
        />
        <Field
          label="Reason (recorded in the audit log)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          {...form.field('reason')}
          disabled={sending}
        />
      </div>
      {done && <Notice tone="success">{done}</Notice>}
      <div className="flex flex-wrap gap-2">
        <button className="btn-primary" disabled={sending}>
          {sending ? 'Saving…' : 'Set account'}
        </button>
        <button type="button" className="btn-secondary" disabled={sending} onClick={() => void save(true)}>
          Clear account
        </button>
      </div>
    </form>
  );
}
