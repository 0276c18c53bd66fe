import { useId, useState, type FormEvent } from 'react';
import { profiles, type MechanicProfile } from '../../../shared/contract';
import { PROFILE_LIMITS } from '../../../shared/profile-limits';
import { PHOTO_MESSAGES, photoProblem, PROFILE_PHOTO_LIMITS } from '../../../shared/photos';
import { call } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { loadSentence, problemSentence } from '../../lib/form-errors';
import { brandsOf, MECHANIC_PROFILE, PROFILE_PHOTO_CODES } from '../../lib/form-words';
import { Link } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { useFormErrors } from '../../lib/use-form-errors';
import { ErrorSummary } from '../../components/error-summary';
import { PhotoPicker } from '../../components/photo-picker';
import { Field, Notice, PageTitle, Spinner, TextArea } from '../../components/ui';
import { MechanicAvatar, MechanicCardView } from '../room/mechanic-card';

/**
 * `/profile`: the mechanic's side of their profile — the name they work under, a photo, their
 * experience, the makes they know and a few words about themselves — with the card customers
 * see, as they will see it.
 */
export function MechanicProfilePage() {
  const loaded = useEndpoint(profiles.mine, {});
  if (loaded.error) {
    return (
      <Notice tone="error">
        {loadSentence('Your profile could not be loaded.', loaded.error, {
          FORBIDDEN: 'Only a mechanic’s account has a profile.',
        })}
      </Notice>
    );
  }
  if (!loaded.data) return <Spinner label="Loading your profile…" />;
  return <ProfileEditor profile={loaded.data} onChange={(next) => loaded.setData(next)} />;
}

function ProfileEditor({ profile, onChange }: { profile: MechanicProfile; onChange: (p: MechanicProfile) => void }) {
  const { refresh } = useAuth();
  const [displayName, setDisplayName] = useState(profile.displayName);
  const [years, setYears] = useState(String(profile.yearsExperience));
  const [makes, setMakes] = useState(profile.brands.join(', '));
  const [bio, setBio] = useState(profile.bio);
  const form = useFormErrors(MECHANIC_PROFILE);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (!form.check({ displayName, yearsExperience: years, brands: makes, bio })) return;
    setSaving(true);
    try {
      const next = await call(profiles.update, {
        body: {
          displayName: displayName.trim(),
          yearsExperience: Number(years.trim()),
          brands: brandsOf(makes),
          bio: bio.trim(),
        },
      });
      onChange(next);
      setMakes(next.brands.join(', '));
      setSaved(true);
      await refresh(); // the dashboard's title is the name they work under
    } catch (caught) {
      form.fail(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <PageTitle
        action={
          <Link href="/app" className="text-sm text-blue-800 underline">
            Back to your queue
          </Link>
        }
      >
        Your profile
      </PageTitle>
      <section aria-labelledby="preview-title" className="space-y-2">
        <h2 id="preview-title" className="text-sm font-semibold text-slate-700">
          How customers see you
        </h2>
        <MechanicCardView profile={profile} />
        <p className="text-xs text-slate-600">
          Customers see this card in the session room and after it; your reports are signed with your name and tier.
          Your tier and workshop are set by AutoDoctor; ratings come from your customers.
        </p>
      </section>
      <PhotoSection profile={profile} onChange={onChange} />
      <form
        onSubmit={(e) => void submit(e)}
        onChange={form.onChange}
        className="card space-y-4"
        aria-labelledby="details-title"
        noValidate
      >
        <h2 id="details-title" className="text-lg font-bold">
          About you
        </h2>
        <ErrorSummary form={form} level={3} />
        {saved && <Notice tone="success">Your profile is saved.</Notice>}
        <Field
          label="The name customers see"
          name="displayName"
          autoComplete="name"
          maxLength={PROFILE_LIMITS.displayName.max}
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          {...form.field('displayName')}
        />
        <Field
          label="Years of experience"
          name="yearsExperience"
          type="number"
          inputMode="numeric"
          min={PROFILE_LIMITS.yearsExperience.min}
          max={PROFILE_LIMITS.yearsExperience.max}
          step={1}
          value={years}
          onChange={(e) => setYears(e.target.value)}
          {...form.field('yearsExperience')}
        />
        <Field
          label="Makes you know best"
          name="brands"
          value={makes}
          onChange={(e) => setMakes(e.target.value)}
          hint="Separate them with commas, for example: Toyota, Honda, Ford."
          {...form.field('brands')}
        />
        <TextArea
          label="A few words about you"
          name="bio"
          maxLength={PROFILE_LIMITS.bio.max}
          value={bio}
          onChange={(e) => setBio(e.target.value)}
          hint="Where you trained, where you have worked, what you enjoy fixing."
          {...form.field('bio')}
        />
        <button className="btn-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save profile'}
        </button>
      </form>
    </div>
  );
}

/** The photo: uploaded as soon as it is picked, or removed (initials are shown instead). */
function PhotoSection({ profile, onChange }: { profile: MechanicProfile; onChange: (p: MechanicProfile) => void }) {
  const hintId = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<MechanicProfile>) => {
    setBusy(true);
    setProblem(null);
    try {
      onChange(await work());
    } catch (caught) {
      setProblem(problemSentence(caught, PROFILE_PHOTO_CODES));
    } finally {
      setBusy(false);
    }
  };

  const upload = (files: File[]) => {
    const file = files[0]!;
    const found = photoProblem(file, PROFILE_PHOTO_LIMITS.fileBytes, PHOTO_MESSAGES.profileTooLarge);
    if (found) {
      setProblem(found);
      return;
    }
    const form = new FormData();
    form.append('file', file, file.name);
    void run(() => call(profiles.uploadPhoto, { body: form }));
  };

  return (
    <section className="card space-y-3" aria-labelledby="photo-title">
      <h2 id="photo-title" className="text-lg font-bold">
        Your photo
      </h2>
      <div className="flex flex-wrap items-center gap-4">
        <MechanicAvatar profile={profile} size="lg" />
        <div className="space-y-2">
          <div className="flex flex-wrap gap-2">
            <PhotoPicker
              onPick={upload}
              multiple={false}
              facing="user"
              disabled={busy}
              describedBy={problem ? `${hintId} ${hintId}-problem` : hintId}
              chooseLabel={profile.photoUrl ? 'Change photo' : 'Upload a photo'}
            />
            {profile.photoUrl && (
              <button
                type="button"
                className="btn-secondary"
                disabled={busy}
                onClick={() => void run(() => call(profiles.removePhoto))}
              >
                Remove photo
              </button>
            )}
          </div>
          <p id={hintId} className="text-xs text-slate-600">
            {busy
              ? 'Saving your photo…'
              : `A clear photo of your face: JPEG, PNG or WebP, at most ${PROFILE_PHOTO_LIMITS.fileBytes / 1024 / 1024} MB. Without one, customers see your initials.`}
          </p>
        </div>
      </div>
      {problem && (
        <p id={`${hintId}-problem`} role="alert" className="text-sm text-red-700">
          {problem}
        </p>
      )}
    </section>
  );
}
