import { z } from 'zod';
import { VIN_MESSAGES, vinProblem } from './vin.js';

/*
 * Request bodies and query strings of the public contract (api.md), shared by the server's
 * routes (validation and the OpenAPI document) and the web app's forms. Objects are strict:
 * unknown fields are rejected.
 */

const trimmed = (min: number, max: number) => z.string().trim().min(min).max(max);
export const Id = z.uuid({ message: 'must be a UUID' });
export const IdParams = z.strictObject({ id: Id });

export const Vehicle = z.strictObject({
  year: z
    .number()
    .int()
    .min(1950)
    .max(new Date().getUTCFullYear() + 2),
  make: trimmed(1, 60),
  model: trimmed(1, 80),
  vin: z
    .string()
    .trim()
    .toUpperCase()
    .optional()
    .superRefine((vin, ctx) => {
      if (!vin) return;
      const problem = vinProblem(vin);
      if (problem) ctx.addIssue({ code: 'custom', message: VIN_MESSAGES[problem] });
    }),
  mileage: z.number().int().min(0).max(3_000_000).optional(),
});

export const CreateSessionBody = z.strictObject({
  plan: z.string().min(1).max(40),
  vehicle: Vehicle,
  concern: trimmed(10, 4000),
  urgent: z.boolean().optional(),
  preferredMechanicId: Id.optional(),
  workshopId: Id.optional(),
});
export type CreateSessionBody = z.infer<typeof CreateSessionBody>;

export const SessionListQuery = z.strictObject({
  status: z.enum(['active', 'ended', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

/** Optional: no body, an empty one, or `{ reason }` in the participant's words. */
export const EndSessionBody = z.strictObject({ reason: z.string().trim().max(500).optional() }).nullish();

export const EventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const MessagesQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const SendMessageBody = z.strictObject({
  body: z.string().trim().min(1).max(4000),
  clientId: Id,
  attachmentIds: z.array(Id).max(10).optional(),
});

export const SEVERITIES = ['info', 'soon', 'urgent', 'unsafe_to_drive'] as const;
export const FOLLOW_UPS = ['none', 'in_person_diagnostic', 'repair_quote'] as const;

const Cents = z.number().int().min(0).max(100_000_000);

export const ReportBody = z.strictObject({
  summary: trimmed(1, 2000),
  findings: trimmed(1, 8000),
  severity: z.enum(SEVERITIES),
  recommendations: z
    .array(
      z
        .strictObject({
          title: trimmed(1, 200),
          urgency: z.enum(SEVERITIES),
          estimatedCostMinCents: Cents.optional(),
          estimatedCostMaxCents: Cents.optional(),
        })
        .refine(
          (r) =>
            r.estimatedCostMinCents === undefined ||
            r.estimatedCostMaxCents === undefined ||
            r.estimatedCostMinCents <= r.estimatedCostMaxCents,
          {
            message: 'the minimum cost must not exceed the maximum',
            path: ['estimatedCostMaxCents'],
          },
        ),
    )
    .max(30),
  followUp: z.enum(FOLLOW_UPS),
  submit: z.boolean(),
});
export type ReportBody = z.infer<typeof ReportBody>;

export const ReviewBody = z.strictObject({
  rating: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
});

export const ApplyBody = z.strictObject({
  displayName: trimmed(2, 80),
  serviceTier: z.enum(['virtual_only', 'workshop_partner']),
  workshopId: Id.optional(),
  brands: z.array(trimmed(1, 40)).max(30),
  yearsExperience: z.number().int().min(0).max(80),
  bio: z.string().trim().max(2000),
});

export const ShiftBody = z.strictObject({ onShift: z.boolean() });

export const AdminReasonBody = z.strictObject({
  reason: trimmed(1, 2000),
  value: z.boolean().optional(),
  /** Suspend only: end the mechanic's accepted or live session in the same action. */
  endActiveSession: z.boolean().optional(),
});
export const ForceEndBody = z.strictObject({ reason: trimmed(1, 2000) });

export const CreateWorkshopBody = z.strictObject({
  name: trimmed(2, 120),
  city: trimmed(1, 80),
  country: trimmed(2, 80),
  reason: trimmed(1, 2000).optional(),
});
export const AddMemberBody = z.strictObject({
  userId: Id,
  reason: trimmed(1, 2000).optional(),
});

export const AdminSessionsQuery = z.strictObject({
  status: z.enum(['pending', 'accepted', 'live', 'completed', 'cancelled', 'no_show', 'expired']).optional(),
  kind: z.enum(['chat', 'video', 'diagnostic']).optional(),
  stuck: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});

export const AdminMechanicsQuery = z.strictObject({
  approval: z.enum(['pending', 'approved', 'suspended']).optional(),
});

export const MechanicInspectQuery = z
  .strictObject({
    email: z.string().trim().max(320).optional(),
    userId: Id.optional(),
  })
  .refine((q) => Boolean(q.email) !== Boolean(q.userId), {
    message: 'give exactly one of email or userId',
  });
