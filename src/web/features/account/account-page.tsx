import { useState, type FormEvent } from 'react';
import { accounts, authLibrary, type Me } from '../../../shared/contract';
import { ApiError, call } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { fieldProblem } from '../../lib/field-problem';
import { realtime } from '../../lib/realtime';
import { SUPPORT_EMAIL } from '../../lib/support';
import { Field, Notice, PageTitle, Spinner } from '../../components/ui';
import { EmailPreferences } from '../notifications/email-preferences';

/** The same limits as the server's (shared/accounts.ts, shared/contract/accounts.ts), said before sending. */
const NAME_MAX = 100;
const DISPLAY_NAME = { min: 2, max: 80 };
const PASSWORD = { min: 8, max: 128 };

/** Every signed-in role's account: the name, the password, and which emails they get. */
export function AccountPage() {
  const { me, refresh } = useAuth();
  if (!me) return <Spinner />;
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <PageTitle>Your account</PageTitle>
      <ProfileForm me={me} onSaved={refresh} />
      <PasswordForm email={me.user.email} />
      <EmailPreferences role={me.user.role} />
    </div>
  );
}

type Problems = { name?: string; displayName?: string; form?: string };

function ProfileForm({ me, onSaved }: { me: Me; onSaved: () => Promise<unknown> }) {
  const [name, setName] = useState(me.user.name);
  const [displayName, setDisplayName] = useState(me.mechanic?.displayName ?? '');
  const [problems, setProblems] = useState<Problems>({});
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const isMechanic = me.mechanic !== null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const found: Problems = {};
    if (!name.trim()) found.name = 'Your name is required.';
    else if (name.trim().length > NAME_MAX) found.name = `Your name must be at most ${NAME_MAX} characters.`;
    if (isMechanic && displayName.trim().length < DISPLAY_NAME.min)
      found.displayName = `The name you work under must be at least ${DISPLAY_NAME.min} characters.`;
    else if (isMechanic && displayName.trim().length > DISPLAY_NAME.max)
      found.displayName = `The name you work under must be at most ${DISPLAY_NAME.max} characters.`;
    setProblems(found);
    if (found.name || found.displayName) return;
    setSaving(true);
    try {
      await call(accounts.updateProfile, {
        body: { name: name.trim(), ...(isMechanic ? { displayName: displayName.trim() } : {}) },
      });
      await onSaved();
      setSaved(true);
    } catch (caught) {
      setProblems(
        caught instanceof ApiError && caught.code === 'VALIDATION_FAILED'
          ? {
              name: fieldProblem(caught, 'name', 'Your name'),
              displayName: fieldProblem(caught, 'displayName', 'The name you work under'),
              form: caught.fields.length === 0 ? caught.message : undefined,
            }
          : { form: caught instanceof ApiError ? caught.message : 'Your name could not be saved. Please try again.' },
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="card space-y-4" aria-labelledby="profile-title" noValidate>
      <h2 id="profile-title" className="text-lg font-bold">
        Your details
      </h2>
      <div className="text-sm">
        <p className="label">Email</p>
        <p className="break-words">{me.user.email}</p>
        <p className="mt-1 text-xs text-slate-500">
          To change your email, write to{' '}
          <a className="underline" href={`mailto:${SUPPORT_EMAIL}`}>
            {SUPPORT_EMAIL}
          </a>
          .
        </p>
      </div>
      <Field
        label="Your name"
        autoComplete="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={problems.name}
        required
      />
      {isMechanic && (
        <Field
          label="Name you work under"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          error={problems.displayName}
          hint="Your mechanic name, as on your application; it heads your dashboard."
          required
        />
      )}
      {problems.form && <Notice tone="error">{problems.form}</Notice>}
      {saved && <Notice tone="success">Saved.</Notice>}
      <button className="btn-primary" disabled={saving}>
        {saving ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}

type PasswordProblems = { current?: string; next?: string; repeat?: string; form?: string };

function PasswordForm({ email }: { email: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [signOutOthers, setSignOutOthers] = useState(true);
  const [problems, setProblems] = useState<PasswordProblems>({});
  const [saving, setSaving] = useState(false);
  const [changed, setChanged] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChanged(null);
    const found: PasswordProblems = {};
    if (!current) found.current = 'Type your current password.';
    if (next.length < PASSWORD.min) found.next = `The new password must be at least ${PASSWORD.min} characters.`;
    else if (next.length > PASSWORD.max) found.next = `The new password must be at most ${PASSWORD.max} characters.`;
    else if (!next.trim()) found.next = 'The new password must not be only spaces.';
    else if (next === current) found.next = 'The new password must be different from the current one.';
    if (!found.next && repeat !== next) found.repeat = 'The two new passwords do not match.';
    setProblems(found);
    if (found.current || found.next || found.repeat) return;
    setSaving(true);
    try {
      // Revoking the other sessions revokes this one too and sends a new cookie with the answer.
      await realtime.renewingSignIn(() =>
        call(authLibrary.changePassword, {
          body: { currentPassword: current, newPassword: next, revokeOtherSessions: signOutOthers },
        }),
      );
      setCurrent('');
      setNext('');
      setRepeat('');
      setChanged(
        signOutOthers
          ? 'Your password is changed. You stay signed in here; every other device was signed out.'
          : 'Your password is changed. Use the new one the next time you sign in.',
      );
    } catch (caught) {
      setProblems(passwordProblems(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="card space-y-4" aria-labelledby="password-title" noValidate>
      <h2 id="password-title" className="text-lg font-bold">
        Change your password
      </h2>
      {/* For password managers: which account this password belongs to. */}
      <input type="email" autoComplete="username" value={email} readOnly hidden />
      <Field
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
        error={problems.current}
        required
      />
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={(e) => setNext(e.target.value)}
        error={problems.next}
        hint={`At least ${PASSWORD.min} characters, not a common password.`}
        required
      />
      <Field
        label="New password again"
        type="password"
        autoComplete="new-password"
        value={repeat}
        onChange={(e) => setRepeat(e.target.value)}
        error={problems.repeat}
        required
      />
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          className="mt-0.5 h-4 w-4"
          checked={signOutOthers}
          onChange={(e) => setSignOutOthers(e.target.checked)}
        />
        <span>Sign out every other device (recommended if someone else may know the old password)</span>
      </label>
      {problems.form && <Notice tone="error">{problems.form}</Notice>}
      {changed && <Notice tone="success">{changed}</Notice>}
      <button className="btn-primary" disabled={saving}>
        {saving ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}

function passwordProblems(caught: unknown): PasswordProblems {
  if (!(caught instanceof ApiError)) return { form: 'The password could not be changed. Please try again.' };
  if (caught.code === 'INVALID_PASSWORD') return { current: 'That is not your current password.' };
  if (caught.status === 429) return { form: 'Too many attempts. Wait a minute and try again.' };
  if (caught.status === 401) return { form: 'You have been signed out. Sign in again to change your password.' };
  if (caught.code === 'VALIDATION_FAILED') {
    const next = fieldProblem(caught, 'newPassword', 'The new password');
    if (next) return { next };
  }
  return { form: caught.message };
}
