import { useState, type FormEvent } from 'react';
import { accounts } from '../../../shared/contract';
import { ApiError, call } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { Link, navigate } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Field, Notice, PageTitle, Select, TextArea } from '../../components/ui';

function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(
        caught instanceof ApiError ? caught : new ApiError(0, 'UNKNOWN', 'Something went wrong. Please try again.'),
      );
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

export function SignIn() {
  const { signIn } = useAuth();
  const { busy, error, run } = useSubmit();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(async () => {
      await signIn(String(form.get('email')), String(form.get('password')));
      navigate('/app');
    });
  };
  return (
    <div className="mx-auto max-w-sm">
      <PageTitle>Sign in</PageTitle>
      <form onSubmit={submit} className="card space-y-4" noValidate>
        {error && (
          <Notice tone="error">
            {error.status === 401
              ? 'That email and password do not match.'
              : error.status === 429
                ? 'Too many attempts. Wait a minute and try again.'
                : error.message}
          </Notice>
        )}
        <Field label="Email" name="email" type="email" autoComplete="email" required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <button className="btn-primary w-full" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="text-sm text-slate-600">
          New here?{' '}
          <Link href="/sign-up" className="font-medium text-blue-800 underline">
            Create an account
          </Link>
        </p>
      </form>
    </div>
  );
}

export function SignUp() {
  const { signUp } = useAuth();
  const { busy, error, run } = useSubmit();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(async () => {
      await signUp(String(form.get('name')), String(form.get('email')), String(form.get('password')));
      navigate('/request');
    });
  };
  return (
    <div className="mx-auto max-w-sm">
      <PageTitle>Create your account</PageTitle>
      <form onSubmit={submit} className="card space-y-4" noValidate>
        {error && <Notice tone="error">{error.message}</Notice>}
        <Field label="Your name" name="name" autoComplete="name" required />
        <Field label="Email" name="email" type="email" autoComplete="email" required />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          hint="At least 8 characters."
          required
        />
        <button className="btn-primary w-full" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
        <p className="text-sm text-slate-600">
          Already have one?{' '}
          <Link href="/sign-in" className="font-medium text-blue-800 underline">
            Sign in
          </Link>
        </p>
      </form>
    </div>
  );
}

export function Apply() {
  const { me, refresh } = useAuth();
  const { busy, error, run } = useSubmit();
  const [tier, setTier] = useState<'virtual_only' | 'workshop_partner'>('virtual_only');
  const workshops = useEndpoint(accounts.workshops, {}).data?.items ?? [];
  if (!me) {
    return (
      <div className="mx-auto max-w-lg space-y-4">
        <PageTitle>Work with AutoDoctor</PageTitle>
        <p>
          Certified mechanics help drivers remotely, on their own schedule. Create an account first, then apply here.
        </p>
        <Link href="/sign-up" className="btn-primary">
          Create an account
        </Link>
      </div>
    );
  }
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(async () => {
      await call(accounts.apply, {
        body: {
          displayName: String(form.get('displayName')),
          serviceTier: tier,
          ...(tier === 'workshop_partner' ? { workshopId: String(form.get('workshopId')) } : {}),
          brands: String(form.get('brands'))
            .split(',')
            .map((b) => b.trim())
            .filter(Boolean),
          yearsExperience: Number(form.get('yearsExperience')),
          bio: String(form.get('bio')),
        },
      });
      await refresh();
      navigate('/app');
    });
  };
  return (
    <div className="mx-auto max-w-lg">
      <PageTitle>Apply as a mechanic</PageTitle>
      <form onSubmit={submit} className="card space-y-4" noValidate>
        {error && <Notice tone="error">{error.message}</Notice>}
        <Field
          label="Name customers see"
          name="displayName"
          defaultValue={me.user.name}
          error={error?.field('displayName')}
          required
        />
        <Select
          label="How you work"
          value={tier}
          onChange={(e) => setTier(e.target.value === 'workshop_partner' ? 'workshop_partner' : 'virtual_only')}
        >
          <option value="virtual_only">Remote only</option>
          <option value="workshop_partner">Partner of a workshop (can run full diagnostics)</option>
        </Select>
        {tier === 'workshop_partner' && (
          <Select label="Workshop" name="workshopId" error={error?.field('workshopId')}>
            {workshops.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}, {w.city}
              </option>
            ))}
          </Select>
        )}
        <Field label="Makes you specialise in" name="brands" hint="Comma-separated, e.g. Toyota, Honda" />
        <Field
          label="Years of experience"
          name="yearsExperience"
          type="number"
          min={0}
          max={80}
          defaultValue={5}
          error={error?.field('yearsExperience')}
        />
        <TextArea label="About you" name="bio" maxLength={2000} />
        <button className="btn-primary w-full" disabled={busy}>
          {busy ? 'Sending…' : 'Send application'}
        </button>
      </form>
    </div>
  );
}
