import { useState, type FormEvent } from 'react';
import { authLibrary } from '../../../shared/contract';
import { call } from '../../lib/api';
import { FORGOT_PASSWORD, RESET_PASSWORD } from '../../lib/form-words';
import { Link, usePath } from '../../lib/router';
import { useFormErrors } from '../../lib/use-form-errors';
import { ErrorSummary } from '../../components/error-summary';
import { Field, Notice, PageTitle } from '../../components/ui';

/** "Forgot your password?": one email field; the same answer whether or not the address has an account. */
export function ForgotPassword() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useFormErrors(FORGOT_PASSWORD);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '').trim();
    if (!form.check({ email })) return;
    setBusy(true);
    try {
      await call(authLibrary.requestPasswordReset, {
        body: { email, redirectTo: `${window.location.origin}/reset-password` },
      });
      setSentTo(email);
    } catch (caught) {
      form.fail(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="mx-auto max-w-sm">
      <PageTitle>Reset your password</PageTitle>
      {sentTo ? (
        <div className="card space-y-3">
          <Notice tone="success">
            If {sentTo} has an AutoDoctor account, we have emailed it a link to choose a new password. The link works
            for one hour.
          </Notice>
          <p className="text-sm text-slate-600">
            Nothing arrived? Check your spam folder, or{' '}
            <button type="button" className="text-blue-800 underline" onClick={() => setSentTo(null)}>
              try another address
            </button>
            .
          </p>
        </div>
      ) : (
        <form onSubmit={(e) => void submit(e)} onChange={form.onChange} className="card space-y-4" noValidate>
          <ErrorSummary form={form} listFields={false} />
          <p className="text-sm text-slate-700">
            Tell us your email address and we will send you a link to choose a new password.
          </p>
          <Field label="Email" name="email" type="email" autoComplete="email" required {...form.field('email')} />
          <button className="btn-primary w-full" disabled={busy}>
            {busy ? 'Sending…' : 'Email me a link'}
          </button>
          <p className="text-sm text-slate-600">
            Remembered it?{' '}
            <Link href="/sign-in" className="font-medium text-blue-800 underline">
              Sign in
            </Link>
          </p>
        </form>
      )}
    </div>
  );
}

/** Where the emailed link lands (`?token=`, or `?error=INVALID_TOKEN` when it expired). */
export function ResetPassword() {
  const query = new URLSearchParams(usePath().split('?')[1] ?? '');
  const token = query.get('token');
  const form = useFormErrors(RESET_PASSWORD);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!token || query.get('error')) {
    return (
      <div className="mx-auto max-w-sm space-y-4">
        <PageTitle>This link has expired</PageTitle>
        <Notice tone="error">Reset links work once, for one hour. Ask for a new one and use the newest email.</Notice>
        <Link href="/forgot-password" className="btn-primary inline-block">
          Send me a new link
        </Link>
      </div>
    );
  }
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const password = String(data.get('password') ?? '');
    const confirm = String(data.get('confirm') ?? '');
    if (!form.check({ password, confirm }, { confirm: confirm && confirm !== password ? 'mismatch' : null })) return;
    setBusy(true);
    try {
      await call(authLibrary.resetPassword, { body: { token, newPassword: password } });
      setDone(true);
    } catch (caught) {
      form.fail(caught);
    } finally {
      setBusy(false);
    }
  };
  if (done) {
    return (
      <div className="mx-auto max-w-sm space-y-4">
        <PageTitle>Password changed</PageTitle>
        <Notice tone="success">
          Your new password is set, and every device that was signed in has been signed out.
        </Notice>
        <Link href="/sign-in" className="btn-primary inline-block">
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-sm">
      <PageTitle>Choose a new password</PageTitle>
      <form onSubmit={(e) => void submit(e)} onChange={form.onChange} className="card space-y-4" noValidate>
        <ErrorSummary form={form}>
          {form.code === 'INVALID_TOKEN' && (
            <Link href="/forgot-password" className="underline">
              Send me a new link
            </Link>
          )}
        </ErrorSummary>
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters."
          required
          {...form.field('password')}
        />
        <Field
          label="The same password again"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          {...form.field('confirm')}
        />
        <button className="btn-primary w-full" disabled={busy}>
          {busy ? 'Saving…' : 'Set my new password'}
        </button>
      </form>
    </div>
  );
}
