/*
 * A mechanic's profile, said once for the server's validation (contract/profiles.ts) and the
 * form's own checks before sending: the web app imports no schemas, only these numbers.
 */

/** The limits of a profile's fields. */
export const PROFILE_LIMITS = {
  displayName: { min: 2, max: 80 },
  yearsExperience: { min: 0, max: 80 },
  brands: { max: 30, length: 40 },
  bio: { max: 2000 },
} as const;

/** How many review comments a profile shows: the latest few, enough to tell a pattern. */
export const PROFILE_REVIEW_COMMENTS = 3;
