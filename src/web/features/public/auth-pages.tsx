import { useState, type FormEvent } from 'react';
import { accounts } from '../../../shared/contract';
import { call } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { APPLY, brandsOf, SIGN_IN, SIGN_UP } from '../../lib/form-words';
import { Link, navigate, usePath } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { useFormErrors, type FormErrors } from '../../lib/use-form-errors';
import { ErrorSummary } from '../../components/error-summary';
import { Field, Notice, PageTitle, Select, TextArea } from '../../components/ui';

/**
 * `?as=mechanic`: the person came to work as a mechanic ("I'm a mechanic", the Apply page), so
 * after signing up or in they go on to the application, not to the customer's intake.
 */
function useSigningUpAsMechanic(): boolean {
  return new URLSearchParams(usePath().split('?')[1] ?? '').get('as') === 'mechanic';
}

/** Sends a checked form; what the server refuses is said by the form. */
function useSubmit(form: FormErrors) {
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (caught) {
      form.fail(caught);
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

/** The text of each named field of a form. */
const textsOf = (element: HTMLFormElement) => {
  const data = new FormData(element);
  return (name: string) => String(data.get(name) ?? '');
};

export function SignIn() {
  const { signIn } = useAuth();
  const asMechanic = useSigningUpAsMechanic();
  const form = useFormErrors(SIGN_IN);
  const { busy, run } = useSubmit(form);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = textsOf(event.currentTarget);
    const [email, password] = [text('email').trim(), text('password')];
    if (!form.check({ email, password })) return;
    void run(async () => {
      const me = await signIn(email, password);
      navigate(asMechanic && me?.user.role === 'customer' ? '/apply' : '/app');
    });
  };
  return (
    <div className="mx-auto max-w-sm">
      <PageTitle>Sign in</PageTitle>
      <form onSubmit={submit} onChange={form.onChange} className="card space-y-4" noValidate>
        <ErrorSummary form={form} />
        <Field label="Email" name="email" type="email" autoComplete="email" required {...form.field('email')} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          {...form.field('password')}
        />
        <p className="-mt-2 text-right text-sm">
          <Link href="/forgot-password" className="text-blue-800 underline">
            Forgot your password?
          </Link>
        </p>
        <button className="btn-primary w-full" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="text-sm text-slate-600">
          New here?{' '}
          <Link href={asMechanic ? '/sign-up?as=mechanic' : '/sign-up'} className="font-medium text-blue-800 underline">
            {asMechanic ? 'Create a mechanic account' : 'Create an account'}
          </Link>
        </p>
      </form>
    </div>
  );
}

export function SignUp() {
  const { signUp } = useAuth();
  const asMechanic = useSigningUpAsMechanic();
  const form = useFormErrors(SIGN_UP);
  const { busy, run } = useSubmit(form);
  // Set when sign-up answered but signed nobody in: the address already has an account, whose
  // owner the server has emailed (sign-up answers the same either way, so we say no more here).
  const [emailedTo, setEmailedTo] = useState<string | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = textsOf(event.currentTarget);
    const [name, email, password] = [text('name').trim(), text('email').trim(), text('password')];
    if (!form.check({ name, email, password })) return;
    void run(async () => {
      const me = await signUp(name, email, password);
      if (me) navigate(asMechanic ? '/apply' : '/request');
      else setEmailedTo(email);
    });
  };
  if (emailedTo) {
    return (
      <div className="mx-auto max-w-sm space-y-4">
        <PageTitle>Check your email</PageTitle>
        <p>
          We could not open a new account for <strong>{emailedTo}</strong>. If it already has one, we have sent it an
          email with a way back in.
        </p>
        <div className="flex flex-wrap gap-3">
          <Link href={asMechanic ? '/sign-in?as=mechanic' : '/sign-in'} className="btn-primary">
            Sign in
          </Link>
          <Link href="/forgot-password" className="btn-secondary">
            Reset my password
          </Link>
        </div>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-sm">
      <PageTitle>{asMechanic ? 'Create your mechanic account' : 'Create your account'}</PageTitle>
      {asMechanic && (
        <p className="mb-4 text-sm text-slate-700">
          Step 1 of 2. Next you tell us about your experience, and our team reviews your application.
        </p>
      )}
      <form onSubmit={submit} onChange={form.onChange} className="card space-y-4" noValidate>
        <ErrorSummary form={form} />
        <Field label="Your name" name="name" autoComplete="name" required {...form.field('name')} />
        <Field label="Email" name="email" type="email" autoComplete="email" required {...form.field('email')} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          hint="At least 8 characters."
          required
          {...form.field('password')}
        />
        <p className="text-xs text-slate-600">
          By creating an account you accept the{' '}
          <Link href="/terms" className="font-medium text-blue-800 underline">
            terms of service
          </Link>{' '}
          and the{' '}
          <Link href="/privacy" className="font-medium text-blue-800 underline">
            privacy notice
          </Link>
          .
        </p>
        <button className="btn-primary w-full" disabled={busy}>
          {busy ? 'Creating…' : asMechanic ? 'Create account and continue' : 'Create account'}
        </button>
        <p className="text-sm text-slate-600">
          Already have one?{' '}
          <Link href={asMechanic ? '/sign-in?as=mechanic' : '/sign-in'} className="font-medium text-blue-800 underline">
            Sign in
          </Link>
        </p>
        <p className="border-t border-slate-200 pt-3 text-sm text-slate-600">
          {asMechanic ? (
            <>
              Need help with your own car?{' '}
              <Link href="/sign-up" className="font-medium text-blue-800 underline">
                Create a customer account
              </Link>
            </>
          ) : (
            <>
              A certified mechanic?{' '}
              <Link href="/sign-up?as=mechanic" className="font-medium text-blue-800 underline">
                Sign up to work with us
              </Link>
            </>
          )}
        </p>
      </form>
    </div>
  );
}

export function Apply() {
  const { me, refresh } = useAuth();
  const form = useFormErrors(APPLY);
  const { busy, run } = useSubmit(form);
  const [tier, setTier] = useState<'virtual_only' | 'workshop_partner'>('virtual_only');
  const workshops = useEndpoint(accounts.workshops, {}).data?.items ?? [];
  if (!me) {
    return (
      <div className="mx-auto max-w-lg space-y-4">
        <PageTitle>Work with AutoDoctor</PageTitle>
        <p>
          Certified mechanics help drivers remotely, on their own schedule. Create your mechanic account, then tell us
          about your experience; our team reviews every application.
        </p>
        <div className="flex flex-wrap gap-3">
          <Link href="/sign-up?as=mechanic" className="btn-primary">
            Create a mechanic account
          </Link>
          <Link href="/sign-in?as=mechanic" className="btn-secondary">
            I already have an account
          </Link>
        </div>
      </div>
    );
  }
  if (me.user.role !== 'customer') {
    return (
      <div className="mx-auto max-w-lg space-y-4">
        <PageTitle>Work with AutoDoctor</PageTitle>
        <Notice>
          {me.mechanic
            ? 'You have already applied. Your dashboard shows where your application stands.'
            : 'This account cannot apply to work as a mechanic.'}
        </Notice>
        <Link href="/app" className="btn-primary">
          Open my dashboard
        </Link>
      </div>
    );
  }
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = textsOf(event.currentTarget);
    const values = {
      displayName: text('displayName').trim(),
      ...(tier === 'workshop_partner' ? { workshopId: text('workshopId') } : {}),
      brands: text('brands'),
      yearsExperience: text('yearsExperience').trim(),
      bio: text('bio').trim(),
    };
    if (!form.check(values)) return;
    void run(async () => {
      await call(accounts.apply, {
        body: {
          ...values,
          serviceTier: tier,
          brands: brandsOf(values.brands),
          yearsExperience: Number(values.yearsExperience),
        },
      });
      await refresh();
      navigate('/app');
    });
  };
  return (
    <div className="mx-auto max-w-lg">
      <PageTitle>Apply as a mechanic</PageTitle>
      <form onSubmit={submit} onChange={form.onChange} className="card space-y-4" noValidate>
        <ErrorSummary form={form} />
        <Field
          label="Name customers see"
          name="displayName"
          defaultValue={me.user.name}
          required
          {...form.field('displayName')}
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
          <Select label="Workshop" name="workshopId" {...form.field('workshopId')}>
            {workshops.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}, {w.city}
              </option>
            ))}
          </Select>
        )}
        <Field
          label="Makes you specialise in"
          name="brands"
          hint="Comma-separated, e.g. Toyota, Honda"
          {...form.field('brands')}
        />
        <Field
          label="Years of experience"
          name="yearsExperience"
          type="number"
          min={0}
          max={80}
          defaultValue={5}
          {...form.field('yearsExperience')}
        />
        <TextArea label="About you" name="bio" maxLength={2000} {...form.field('bio')} />
        <button className="btn-primary w-full" disabled={busy}>
          {busy ? 'Sending…' : 'Send application'}
        </button>
      </form>
    </div>
  );
}
