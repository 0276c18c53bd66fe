import { z } from 'zod';
import { FOLLOW_UPS, SERVICE_TIERS, SEVERITIES } from '../domain.js';
import { endpoint } from './define.js';
import { Id, IdParams, itemsOf, Timestamp } from './common.js';
import { Recommendation } from './reports.js';

/*
 * Documents (notifications.md §5): the report and receipt as PDFs, and read-only share links to a
 * report for someone without an account.
 */

const tags = ['documents'];

/** A share link as its creator sees it once: the URL carries the token, which is never stored. */
export const ShareLink = z.object({
  id: Id,
  url: z.url(),
  expiresAt: Timestamp,
});
export type ShareLink = z.infer<typeof ShareLink>;

/** A live link in the customer's list: no URL (only the token's hash is kept), but revocable. */
export const ShareLinkSummary = z.object({
  id: Id,
  createdAt: Timestamp,
  expiresAt: Timestamp,
});
export type ShareLinkSummary = z.infer<typeof ShareLinkSummary>;

export const ShareLinkParams = z.strictObject({ id: Id, linkId: Id });

/**
 * Any text the router lets through (a path segment is at most 100 characters): a malformed token
 * is as unknown as a guessed one (404), so its shape is checked where it is looked up, not here.
 */
export const TokenParams = z.strictObject({ token: z.string().min(1).max(100) });

/**
 * The report as the person holding a share link reads it: the car, the concern, the mechanic and
 * what they found. Nothing about the customer — no name, email, ids, VIN or payment.
 */
export const SharedReport = z.object({
  vehicle: z.object({
    year: z.number().int(),
    make: z.string(),
    model: z.string(),
    trim: z.string().optional(),
    engine: z.string().optional(),
    fuel: z.string().optional(),
    mileage: z.number().int().optional(),
  }),
  concern: z.string(),
  mechanic: z.object({
    displayName: z.string(),
    tier: z.enum(SERVICE_TIERS),
    workshop: z.object({ name: z.string(), city: z.string() }).nullable(),
  }),
  startedAt: Timestamp.nullable(),
  endedAt: Timestamp.nullable(),
  report: z.object({
    summary: z.string(),
    findings: z.string(),
    severity: z.enum(SEVERITIES),
    troubleCodes: z.array(z.string()),
    recommendations: z.array(Recommendation),
    followUp: z.enum(FOLLOW_UPS),
    submittedAt: Timestamp,
  }),
  /** When this link stops working. */
  expiresAt: Timestamp,
});
export type SharedReport = z.infer<typeof SharedReport>;

export const documents = {
  reportPdf: endpoint({
    method: 'GET',
    path: '/api/sessions/:id/report.pdf',
    summary: 'The submitted report as a PDF (the session’s participants, admins)',
    tags,
    params: IdParams,
    produces: 'application/pdf',
    responses: {},
  }),
  receiptPdf: endpoint({
    method: 'GET',
    path: '/api/sessions/:id/receipt.pdf',
    summary: 'The session’s receipt as a PDF (its customer, admins)',
    tags,
    params: IdParams,
    produces: 'application/pdf',
    responses: {},
  }),
  createShare: endpoint({
    method: 'POST',
    path: '/api/sessions/:id/share',
    summary: 'Create a read-only link to the report, valid for 7 days (the session’s customer)',
    tags,
    params: IdParams,
    responses: { 201: ShareLink },
  }),
  listShares: endpoint({
    method: 'GET',
    path: '/api/sessions/:id/share',
    summary: 'The session’s live share links, to revoke them (the session’s customer)',
    tags,
    params: IdParams,
    responses: { 200: itemsOf(ShareLinkSummary) },
  }),
  revokeShare: endpoint({
    method: 'DELETE',
    path: '/api/sessions/:id/share/:linkId',
    summary: 'Revoke one share link (the session’s customer); the link answers 404 from then on',
    tags,
    params: ShareLinkParams,
    responses: { 204: z.null() },
  }),
  sharedReport: endpoint({
    method: 'GET',
    path: '/api/shared/:token',
    summary: 'The report behind a share link (anyone with the link); revoked, expired or unknown → 404',
    tags,
    params: TokenParams,
    public: true,
    responses: { 200: SharedReport },
  }),
  sharedReportPdf: endpoint({
    method: 'GET',
    path: '/api/shared/:token/report.pdf',
    summary: 'The report behind a share link as a PDF, without the receipt',
    tags,
    params: TokenParams,
    public: true,
    produces: 'application/pdf',
    responses: {},
  }),
};
