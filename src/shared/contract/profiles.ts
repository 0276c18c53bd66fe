import { z } from 'zod';
import { SERVICE_TIERS } from '../domain.js';
import { PROFILE_LIMITS } from '../profile-limits.js';
import { endpoint } from './define.js';
import { Id, Timestamp, UserParams } from './common.js';

const tags = ['mechanics'];

/**
 * A mechanic as customers meet them: who they are, how they work, what they know, how they were
 * rated. Nothing about their standing (approval, shift, payouts): that is the `Mechanic` object.
 */
export const MechanicProfile = z.object({
  userId: Id,
  displayName: z.string(),
  /** Where the photo is served (changes when the photo does); null: none, show initials. */
  photoUrl: z.string().nullable(),
  serviceTier: z.enum(SERVICE_TIERS),
  workshop: z.object({ id: Id, name: z.string(), city: z.string() }).nullable(),
  yearsExperience: z.number().int(),
  /** The makes they specialise in. */
  brands: z.array(z.string()),
  bio: z.string(),
  ratingAvg: z.number(),
  ratingCount: z.number().int(),
  /** The latest review comments, newest first (no names: reviews are anonymous on a profile). */
  recentReviews: z.array(z.object({ rating: z.number().int(), comment: z.string(), createdAt: Timestamp })),
});
export type MechanicProfile = z.infer<typeof MechanicProfile>;

const { displayName, yearsExperience, brands, bio } = PROFILE_LIMITS;

/** What a mechanic edits of their profile; the photo has its own endpoint (it is a file). */
export const UpdateMechanicProfileBody = z.strictObject({
  displayName: z
    .string()
    .trim()
    .min(displayName.min, `must be at least ${displayName.min} characters`)
    .max(displayName.max, `must be at most ${displayName.max} characters`),
  yearsExperience: z
    .number({ message: 'must be a number of years' })
    .int('must be a whole number of years')
    .min(yearsExperience.min, 'cannot be negative')
    .max(yearsExperience.max, `must be at most ${yearsExperience.max} years`),
  brands: z
    .array(
      z
        .string()
        .trim()
        .min(1, 'cannot be empty')
        .max(brands.length, `must be at most ${brands.length} characters each`),
    )
    .max(brands.max, `must list at most ${brands.max} makes`),
  bio: z.string().trim().max(bio.max, `must be at most ${bio.max} characters`),
});
export type UpdateMechanicProfileBody = z.infer<typeof UpdateMechanicProfileBody>;

export const profiles = {
  get: endpoint({
    method: 'GET',
    path: '/api/mechanics/:userId/profile',
    summary: 'A mechanic’s profile (approved mechanics; also the mechanic themself, their customers and admins)',
    tags,
    params: UserParams,
    responses: { 200: MechanicProfile },
  }),
  photo: endpoint({
    method: 'GET',
    path: '/api/mechanics/:userId/photo',
    summary: 'A mechanic’s profile photo (its sniffed image type); 404 when they have none',
    tags,
    params: UserParams,
    produces: 'image/*',
    responses: {},
  }),
  mine: endpoint({
    method: 'GET',
    path: '/api/mechanic/profile',
    summary: 'My profile as customers see it',
    tags,
    responses: { 200: MechanicProfile },
  }),
  update: endpoint({
    method: 'PUT',
    path: '/api/mechanic/profile',
    summary: 'Change my profile: the name I work under, years of experience, makes, bio',
    tags,
    body: UpdateMechanicProfileBody,
    responses: { 200: MechanicProfile },
  }),
  uploadPhoto: endpoint({
    method: 'PUT',
    path: '/api/mechanic/profile/photo',
    summary: 'Set my profile photo (multipart, one JPEG, PNG or WebP in the field "file", ≤ 5 MiB)',
    tags,
    multipart: true,
    responses: { 200: MechanicProfile },
  }),
  removePhoto: endpoint({
    method: 'DELETE',
    path: '/api/mechanic/profile/photo',
    summary: 'Remove my profile photo (initials are shown instead)',
    tags,
    responses: { 200: MechanicProfile },
  }),
};
