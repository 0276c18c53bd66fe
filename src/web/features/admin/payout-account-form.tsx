import { useState, type FormEvent } from 'react';
import { payments } from '../../../shared/contract';
import { ApiError, call, messageOf } from '../../lib/api';
import { fieldProblem } from '../../lib/field-problem';
import { Link } from '../../lib/router';
import { Field, Notice } from '../../components/ui';

const ACCOUNT_ID = /^acct_\w{6,}$/;
type Problems = { accountId?: string; reason?: string; form?: string };

/** Sets or clears where a mechanic's payouts go (a Stripe Connect account); audited with the reason. */
export function PayoutAccountForm({ userId }: { userId: string }) {
  const [accountId, setAccountId] = useState('');
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const [problems, setProblems] = useState<Problems>({});
  const [done, setDone] = useState<string | null>(null);

  const save = async (clear: boolean) => {
    const found: Problems = {};
    if (!clear && !ACCOUNT_ID.test(accountId.trim()))
      found.accountId = 'Type a Stripe connected account id: acct_ and then at least 6 letters or digits.';
    if (!reason.trim()) found.reason = 'Give a reason: it is recorded in the audit log.';
    setProblems(found);
    setDone(null);
    if (found.accountId || found.reason) return;
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
      setProblems(
        caught instanceof ApiError && caught.fields.length
          ? {
              accountId: fieldProblem(
                caught,
                'accountId',
                'The account id',
                'Type a Stripe connected account id: acct_ and then at least 6 letters or digits.',
              ),
              reason: fieldProblem(caught, 'reason', 'The reason', 'Give a reason (2,000 characters at most).'),
            }
          : { form: messageOf(caught) },
      );
    } finally {
      setSending(false);
    }
  };
  const submit = (event: FormEvent) => (event.preventDefault(), void save(false));

  return (
    <form onSubmit={submit} className="card space-y-3" aria-labelledby="payout-account-title" noValidate>
      <h2 id="payout-account-title" className="font-bold">
        Payout account
      </h2>
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
          error={problems.accountId}
          disabled={sending}
        />
        <Field
          label="Reason (recorded in the audit log)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={problems.reason}
          disabled={sending}
        />
      </div>
      {problems.form && <Notice tone="error">{problems.form}</Notice>}
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
