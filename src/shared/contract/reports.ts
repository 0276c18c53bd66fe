import { z } from 'zod';
import { FOLLOW_UPS, SEVERITIES } from '../domain.js';
import { endpoint } from './define.js';
import { Cents, Id, IdParams, Timestamp, trimmed } from './common.js';
import { TroubleCodesInput } from './trouble-codes.js';

const tags = ['reports'];

export const Recommendation = z.object({
  title: z.string(),
  urgency: z.enum(SEVERITIES),
  estimatedCostMinCents: z.number().int().optional(),
  estimatedCostMaxCents: z.number().int().optional(),
});

export const ReportBody = z.strictObject({
  summary: trimmed(1, 2000),
  findings: trimmed(1, 8000),
  /** Left out: the worst severity hint of the trouble codes (the report's, else the intake's). */
  severity: z.enum(SEVERITIES).optional(),
  /** The codes the mechanic read or confirmed, up to ten. */
  troubleCodes: TroubleCodesInput.optional(),
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
          { message: 'the minimum cost must not exceed the maximum', path: ['estimatedCostMaxCents'] },
        ),
    )
    .max(30),
  followUp: z.enum(FOLLOW_UPS),
  submit: z.boolean(),
});
export type ReportBody = z.infer<typeof ReportBody>;

export const Report = z.object({
  sessionId: Id,
  mechanicId: Id,
  summary: z.string(),
  findings: z.string(),
  severity: z.enum(SEVERITIES),
  troubleCodes: z.array(z.string()),
  recommendations: z.array(Recommendation),
  followUp: z.enum(FOLLOW_UPS),
  status: z.enum(['draft', 'submitted']),
  submittedAt: Timestamp.nullable(),
  updatedAt: Timestamp,
});
export type Report = z.infer<typeof Report>;

export const ReviewBody = z.strictObject({
  rating: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
});

export const Review = z.object({
  sessionId: Id,
  rating: z.number().int(),
  comment: z.string().nullable(),
  createdAt: Timestamp,
});
export type Review = z.infer<typeof Review>;

export const reports = {
  save: endpoint({
    method: 'PUT',
    path: '/api/sessions/:id/report',
    summary: 'Save a draft or submit the report',
    tags,
    params: IdParams,
    body: ReportBody,
    responses: { 200: Report },
  }),
  get: endpoint({
    method: 'GET',
    path: '/api/sessions/:id/report',
    summary: 'The report',
    tags,
    params: IdParams,
    responses: { 200: Report },
  }),
  review: endpoint({
    method: 'POST',
    path: '/api/sessions/:id/review',
    summary: 'Rate a completed session',
    tags,
    params: IdParams,
    body: ReviewBody,
    responses: { 201: Review },
  }),
};
