import { z } from 'zod';
import { WEBHOOK_EVENTS } from '../domain.js';
import { endpoint } from './define.js';
import { Id, IdParams, itemsOf, Timestamp } from './common.js';

/*
 * Integrators' webhooks (notifications.md §6, docs/webhooks.md): admins register endpoints, and
 * every lifecycle event they subscribe to is delivered as a signed Standard Webhooks message.
 */

const tags = ['admin'];

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * The shape of a webhook URL. Where its host points (no private, loopback or link-local address)
 * needs DNS, so the server checks that after this, with the same kind of field error.
 */
export const WebhookUrl = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(2000, 'must be at most 2000 characters')
  .superRefine((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a full web address, like https://example.com/hooks' });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: 'must start with https:// (or http://)' });
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password' });
    }
  });

export const WebhookEventName = z.enum(WEBHOOK_EVENTS, {
  error: `must be one of ${WEBHOOK_EVENTS.join(', ')}`,
});

export const CreateWebhookBody = z.strictObject({
  url: WebhookUrl,
  events: z
    .array(WebhookEventName)
    .min(1, 'must name at least one event')
    .max(WEBHOOK_EVENTS.length * 2, 'has too many entries'),
});

export const WebhookEndpoint = z.object({
  id: Id,
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  createdAt: Timestamp,
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

/** The answer to a creation: the only time the signing secret leaves the server. */
export const CreatedWebhookEndpoint = WebhookEndpoint.extend({
  /** `whsec_…` (Standard Webhooks): base64 of 32 random bytes. */
  secret: z.string(),
});
export type CreatedWebhookEndpoint = z.infer<typeof CreatedWebhookEndpoint>;

export const WebhookAttempt = z.object({
  /** Null when no answer came (refused address, connection error, timeout). */
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int(),
  error: z.string().nullable(),
  at: Timestamp,
});
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

export const WebhookDelivery = z.object({
  /** The `webhook-id` header: the same on every retry and redelivery. */
  id: Id,
  eventType: z.enum(WEBHOOK_EVENTS),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.array(WebhookAttempt),
  createdAt: Timestamp,
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const webhooks = {
  create: endpoint({
    method: 'POST',
    path: '/api/admin/webhooks',
    summary: 'Register a webhook endpoint; the answer carries its signing secret, shown only this once',
    tags,
    body: CreateWebhookBody,
    responses: { 201: CreatedWebhookEndpoint },
  }),
  list: endpoint({
    method: 'GET',
    path: '/api/admin/webhooks',
    summary: 'Webhook endpoints, newest first (without their secrets)',
    tags,
    responses: { 200: itemsOf(WebhookEndpoint) },
  }),
  get: endpoint({
    method: 'GET',
    path: '/api/admin/webhooks/:id',
    summary: 'One webhook endpoint (without its secret)',
    tags,
    params: IdParams,
    responses: { 200: WebhookEndpoint },
  }),
  remove: endpoint({
    method: 'DELETE',
    path: '/api/admin/webhooks/:id',
    summary: 'Delete a webhook endpoint: nothing more is delivered to it',
    tags,
    params: IdParams,
    responses: { 204: z.null() },
  }),
  deliveries: endpoint({
    method: 'GET',
    path: '/api/admin/webhooks/:id/deliveries',
    summary: 'An endpoint’s delivery log, newest first, each delivery with its attempts',
    tags,
    params: IdParams,
    query: WebhookDeliveriesQuery,
    responses: { 200: itemsOf(WebhookDelivery) },
  }),
  redeliver: endpoint({
    method: 'POST',
    path: '/api/admin/webhooks/deliveries/:id/redeliver',
    summary: 'Send a delivery again now (same webhook-id)',
    tags,
    params: IdParams,
    responses: { 202: WebhookDelivery },
  }),
};
