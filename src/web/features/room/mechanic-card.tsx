import { profiles, type MechanicProfile } from '../../../shared/contract';
import { SERVICE_TIER_LABEL } from '../../../shared/report-words';
import { useEndpoint } from '../../lib/use-endpoint';

/** A mechanic's profile by id (null: none to load). Unknown or not visible: null data, no error shown. */
export function useMechanicProfile(mechanicId: string | null) {
  return useEndpoint(profiles.get, mechanicId ? { params: { userId: mechanicId } } : null);
}

const initialsOf = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]!.toUpperCase())
    .join('') || '?';

/** The mechanic's photo, or their initials on a coloured disc when they have none. */
export function MechanicAvatar({
  profile,
  size = 'md',
}: {
  profile: Pick<MechanicProfile, 'displayName' | 'photoUrl'>;
  size?: 'sm' | 'md' | 'lg';
}) {
  const box = { sm: 'h-10 w-10 text-sm', md: 'h-14 w-14 text-lg', lg: 'h-24 w-24 text-3xl' }[size];
  return profile.photoUrl ? (
    <img
      src={profile.photoUrl}
      alt={`Photo of ${profile.displayName}`}
      className={`${box} shrink-0 rounded-full border border-slate-200 object-cover`}
    />
  ) : (
    <span
      className={`${box} flex shrink-0 items-center justify-center rounded-full bg-blue-100 font-bold text-blue-900`}
      aria-hidden
    >
      {initialsOf(profile.displayName)}
    </span>
  );
}

/** "4.7 ★ (12 reviews)", or that nobody rated them yet. */
export function ratingWords({ ratingAvg, ratingCount }: Pick<MechanicProfile, 'ratingAvg' | 'ratingCount'>) {
  return ratingCount > 0
    ? `${ratingAvg.toFixed(1)} ★ (${ratingCount} review${ratingCount === 1 ? '' : 's'})`
    : 'New on AutoDoctor';
}

/** "Workshop partner · Downtown Auto Clinic, Springfield" or "Remote mechanic". */
export function tierWords({ serviceTier, workshop }: Pick<MechanicProfile, 'serviceTier' | 'workshop'>) {
  const tier = SERVICE_TIER_LABEL[serviceTier];
  return workshop ? `${tier} · ${workshop.name}, ${workshop.city}` : tier;
}

/** The card itself, for a profile already loaded (the profile page previews it too). */
export function MechanicCardView({
  profile,
  heading = 'Your mechanic',
  connected,
}: {
  profile: MechanicProfile;
  heading?: string;
  /** Whether they are in the room now; left out where presence means nothing (after the session). */
  connected?: boolean;
}) {
  // One line of who they are, so the card stays short above the chat on a phone.
  const facts = [
    tierWords(profile),
    profile.yearsExperience > 0 &&
      `${profile.yearsExperience} year${profile.yearsExperience === 1 ? '' : 's'} of experience`,
    profile.brands.length > 0 && profile.brands.join(', '),
  ].filter(Boolean);
  const about = profile.bio.trim() || profile.recentReviews.length > 0;
  return (
    <section className="card" aria-label={`${heading}: ${profile.displayName}`} data-testid="mechanic-card">
      <div className="flex items-start gap-3 sm:gap-4">
        <div className="relative">
          <MechanicAvatar profile={profile} />
          {connected !== undefined && (
            <span
              className={`absolute bottom-0 right-0 h-3.5 w-3.5 rounded-full border-2 border-white ${connected ? 'bg-green-600' : 'bg-slate-400'}`}
              aria-hidden
            />
          )}
        </div>
        <div className="min-w-0 flex-1 space-y-0.5">
          <p className="hidden text-xs font-semibold uppercase tracking-wide text-slate-600 sm:block">{heading}</p>
          <p className="flex flex-wrap items-baseline gap-x-3">
            <span className="text-lg font-bold">{profile.displayName}</span>
            <span className="text-sm text-slate-700">{ratingWords(profile)}</span>
          </p>
          <p className="text-sm text-slate-700">{facts.join(' · ')}</p>
          {connected !== undefined && (
            <p className="sr-only">
              {connected ? `${profile.displayName} is here` : `${profile.displayName} is not connected`}
            </p>
          )}
        </div>
      </div>
      {about && (
        <details className="mt-2 text-sm sm:ml-[4.5rem]">
          <summary className="cursor-pointer font-medium text-blue-800">About {profile.displayName}</summary>
          <div className="mt-2 space-y-2">
            {profile.bio.trim() && <p className="whitespace-pre-wrap text-slate-700">{profile.bio}</p>}
            {profile.recentReviews.length > 0 && (
              <ul className="space-y-1" aria-label="Recent reviews">
                {profile.recentReviews.map((review) => (
                  <li key={review.createdAt} className="rounded-lg bg-slate-50 px-3 py-2">
                    <span className="mr-2 font-semibold text-amber-700" aria-hidden>
                      {'★'.repeat(review.rating)}
                    </span>
                    <span className="sr-only">{review.rating} out of 5: </span>“{review.comment}”
                  </li>
                ))}
              </ul>
            )}
          </div>
        </details>
      )}
    </section>
  );
}

/**
 * Who is helping: the compact profile card the customer sees in the room and on the ended
 * screen. Nothing while it loads or when the profile cannot be read.
 */
export function MechanicCard({
  mechanicId,
  heading,
  connected,
}: {
  mechanicId: string;
  heading?: string;
  connected?: boolean;
}) {
  const { data } = useMechanicProfile(mechanicId);
  return data ? <MechanicCardView profile={data} heading={heading} connected={connected} /> : null;
}
