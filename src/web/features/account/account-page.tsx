import { useState, type FormEvent } from 'react';
import { accounts, authLibrary, type Me } from '../../../shared/contract';
import { call } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { CHANGE_PASSWORD, PROFILE } from '../../lib/form-words';
import { realtime } from '../../lib/realtime';
import { SUPPORT_EMAIL } from '../../lib/support';
import { useFormErrors } from '../../lib/use-form-errors';
import { ErrorSummary } from '../../components/error-summary';
import { Field, Notice, PageTitle, Spinner } from '../../components/ui';
import { EmailPreferences } from '../notifications/email-preferences';

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

function ProfileForm({ me, onSaved }: { me: Me; onSaved: () => Promise<unknown> }) {
  const [name, setName] = useState(me.user.name);
  const [displayName, setDisplayName] = useState(me.mechanic?.displayName ?? '');
  const form = useFormErrors(PROFILE);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const isMechanic = me.mechanic !== null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (!form.check({ name, ...(isMechanic ? { displayName } : {}) })) return;
    setSaving(true);
    try {
      await call(accounts.updateProfile, {
        body: { name: name.trim(), ...(isMechanic ? { displayName: displayName.trim() } : {}) },
      });
      await onSaved();
      setSaved(true);
    } catch (caught) {
      form.fail(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      onSubmit={(e) => void submit(e)}
      onChange={form.onChange}
      className="card space-y-4"
      aria-labelledby="profile-title"
      noValidate
    >
      <h2 id="profile-title" className="text-lg font-bold">
        Your details
      </h2>
      <ErrorSummary form={form} level={3} />
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
        required
        {...form.field('name')}
      />
      {isMechanic && (
        <Field
          label="Name you work under"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          hint="Your mechanic name, as on your application; it heads your dashboard."
          required
          {...form.field('displayName')}
        />
      )}
      {saved && <Notice tone="success">Saved.</Notice>}
      <button className="btn-primary" disabled={saving}>
        {saving ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}

function PasswordForm({ email }: { email: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [signOutOthers, setSignOutOthers] = useState(true);
  const form = useFormErrors(CHANGE_PASSWORD);
  const [saving, setSaving] = useState(false);
  const [changed, setChanged] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChanged(null);
    const found = {
      newPassword: next && next === current ? ('unchanged' as const) : null,
      repeat: repeat && repeat !== next ? ('mismatch' as const) : null,
    };
    if (!form.check({ currentPassword: current, newPassword: next, repeat }, found)) return;
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
      form.fail(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      onSubmit={(e) => void submit(e)}
      onChange={form.onChange}
      className="card space-y-4"
      aria-labelledby="password-title"
      noValidate
    >
      <h2 id="password-title" className="text-lg font-bold">
        Change your password
      </h2>
      <ErrorSummary form={form} level={3} />
      {/* For password managers: which account this password belongs to. */}
      <input type="email" autoComplete="username" value={email} readOnly hidden />
      <Field
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
        required
        {...form.field('currentPassword')}
      />
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={(e) => setNext(e.target.value)}
        hint="At least 8 characters, not a common password."
        required
        {...form.field('newPassword')}
      />
      <Field
        label="New password again"
        type="password"
        autoComplete="new-password"
        value={repeat}
        onChange={(e) => setRepeat(e.target.value)}
        required
        {...form.field('repeat')}
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
      {changed && <Notice tone="success">{changed}</Notice>}
      <button className="btn-primary" disabled={saving}>
        {saving ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
