import { z } from 'zod';
import { Email, NewPassword, PersonName } from '../accounts.js';
import { APPROVAL_STATUSES, PLAN_KINDS, ROLES, SERVICE_TIERS } from '../domain.js';
import { endpoint } from './define.js';
import { Id, itemsOf, Timestamp, trimmed } from './common.js';

const tags = ['accounts'];

export const User = z.object({ id: Id, email: z.string(), name: z.string(), role: z.enum(ROLES) });
export type User = z.infer<typeof User>;

export const Mechanic = z.object({
  userId: Id,
  displayName: z.string(),
  serviceTier: z.enum(SERVICE_TIERS),
  workshopId: Id.nullable(),
  approvalStatus: z.enum(APPROVAL_STATUSES),
  canAcceptSessions: z.boolean(),
  onShift: z.boolean(),
  shiftChangedAt: Timestamp.nullable(),
  brands: z.array(z.string()),
  yearsExperience: z.number().int(),
  bio: z.string(),
  ratingAvg: z.number(),
  ratingCount: z.number().int(),
});
export type Mechanic = z.infer<typeof Mechanic>;

export const Me = z.object({ user: User, mechanic: Mechanic.nullable() });
export type Me = z.infer<typeof Me>;

export const Plan = z.object({
  slug: z.string(),
  name: z.string(),
  kind: z.enum(PLAN_KINDS),
  priceCents: z.number().int(),
  currency: z.string(),
  minutes: z.number().int(),
  requiredTier: z.enum(['workshop_partner']).nullable(),
});
export type Plan = z.infer<typeof Plan>;

export const Workshop = z.object({ id: Id, name: z.string(), city: z.string(), country: z.string() });
export type Workshop = z.infer<typeof Workshop>;

export const ApplyBody = z.strictObject({
  displayName: trimmed(2, 80),
  serviceTier: z.enum(SERVICE_TIERS),
  workshopId: Id.optional(),
  brands: z.array(trimmed(1, 40)).max(30),
  yearsExperience: z.number().int().min(0).max(80),
  bio: z.string().trim().max(2000),
});

export const ShiftBody = z.strictObject({ onShift: z.boolean() });

/** The account page: the account's name, and for a mechanic the name they work under. At least one. */
export const UpdateProfileBody = z
  .strictObject({ name: PersonName.optional(), displayName: trimmed(2, 80).optional() })
  .refine((body) => body.name !== undefined || body.displayName !== undefined, {
    message: 'give a name, a displayName, or both',
  });

export const accounts = {
  me: endpoint({ method: 'GET', path: '/api/me', summary: 'Who am I', tags, responses: { 200: Me } }),
  updateProfile: endpoint({
    method: 'PATCH',
    path: '/api/me',
    summary: 'Change my name (and, for a mechanic, the name they work under)',
    tags,
    body: UpdateProfileBody,
    responses: { 200: Me },
  }),
  apply: endpoint({
    method: 'POST',
    path: '/api/mechanics/apply',
    summary: 'Apply to become a mechanic',
    tags: ['mechanics'],
    body: ApplyBody,
    responses: { 201: Mechanic },
  }),
  setShift: endpoint({
    method: 'POST',
    path: '/api/mechanic/shift',
    summary: 'Go on or off shift',
    tags: ['mechanics'],
    body: ShiftBody,
    responses: { 200: Mechanic },
  }),
  plans: endpoint({
    method: 'GET',
    path: '/api/plans',
    summary: 'Active plans',
    public: true,
    tags: ['catalogue'],
    responses: { 200: itemsOf(Plan) },
  }),
  workshops: endpoint({
    method: 'GET',
    path: '/api/workshops',
    summary: 'Active workshops',
    public: true,
    tags: ['catalogue'],
    responses: { 200: itemsOf(Workshop) },
  }),
  available: endpoint({
    method: 'GET',
    path: '/api/mechanics/available',
    summary: 'How many approved mechanics are on shift',
    public: true,
    tags: ['catalogue'],
    responses: { 200: z.object({ onShift: z.number().int() }) },
  }),
  rtcConfig: endpoint({
    method: 'GET',
    path: '/api/rtc/config',
    summary: 'ICE servers for video calls',
    tags: ['realtime'],
    responses: {
      200: z.object({
        iceServers: z.array(
          z.object({
            urls: z.union([z.string(), z.array(z.string())]),
            username: z.string().optional(),
            credential: z.string().optional(),
          }),
        ),
      }),
    },
  }),
};

/*
 * The auth library's own endpoints (it serves them at /api/auth/*, in its own error format). They
 * are described here so that the web app calls them like every other endpoint.
 */
const AuthUser = z.looseObject({ id: z.string(), email: z.string(), name: z.string() });
export const authLibrary = {
  signUp: endpoint({
    method: 'POST',
    path: '/api/auth/sign-up/email',
    summary: 'Create a customer account',
    tags: ['auth'],
    body: z.object({ name: PersonName, email: Email, password: NewPassword }),
    responses: { 200: z.looseObject({ user: AuthUser }) },
  }),
  signIn: endpoint({
    method: 'POST',
    path: '/api/auth/sign-in/email',
    summary: 'Sign in',
    tags: ['auth'],
    body: z.object({ email: z.string(), password: z.string() }),
    responses: { 200: z.looseObject({ user: AuthUser }) },
  }),
  changePassword: endpoint({
    method: 'POST',
    path: '/api/auth/change-password',
    summary: 'Change the password; revokeOtherSessions signs out every other device',
    tags: ['auth'],
    body: z.object({
      currentPassword: z.string(),
      newPassword: NewPassword,
      revokeOtherSessions: z.boolean().optional(),
    }),
    responses: { 200: z.looseObject({ user: AuthUser }) },
  }),
  requestPasswordReset: endpoint({
    method: 'POST',
    path: '/api/auth/request-password-reset',
    summary: 'Email a password-reset link (the same answer whether or not the address has an account)',
    tags: ['auth'],
    body: z.object({ email: z.string(), redirectTo: z.string() }),
    responses: { 200: z.looseObject({ status: z.boolean() }) },
  }),
  resetPassword: endpoint({
    method: 'POST',
    path: '/api/auth/reset-password',
    summary: 'Set a new password with the token from the reset link; signs out everywhere',
    tags: ['auth'],
    body: z.object({ token: z.string(), newPassword: NewPassword }),
    responses: { 200: z.looseObject({ status: z.boolean() }) },
  }),
  signOut: endpoint({
    method: 'POST',
    path: '/api/auth/sign-out',
    summary: 'Sign out',
    tags: ['auth'],
    body: z.object({}),
    responses: { 200: z.looseObject({ success: z.boolean() }) },
  }),
};
