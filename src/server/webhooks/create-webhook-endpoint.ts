import crypto from 'node:crypto';
import type { WebhookEvent } from '../../shared/domain.js';
import type { Actor } from '../auth/auth.js';
import { recordAdminAction } from '../audit/audit.repository.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { assertPublicTarget, hostOf, RefusedAddressError, type Resolve } from './url-guard.js';
import { insertEndpoint, type WebhookEndpointRow } from './webhook.repository.js';

/** A Standard Webhooks signing secret: `whsec_` and the base64 of 32 random bytes. */
export const newWebhookSecret = () => `whsec_${crypto.randomBytes(32).toString('base64')}`;

const urlProblem = (message: string) =>
  new AppError('VALIDATION_FAILED', `The URL ${message}`, { errors: [{ path: 'body.url', message }] });

/**
 * Refuses a URL whose host is, or resolves to, an address inside a network (notifications.md §6),
 * unless WEBHOOKS_ALLOW_PRIVATE is set. The delivery checks again, at every attempt.
 */
async function assertDeliverable(ctx: Ctx, url: URL, resolve?: Resolve): Promise<void> {
  if (ctx.notifications.allowPrivateWebhooks) return;
  try {
    await assertPublicTarget(url, resolve);
  } catch (error) {
    if (error instanceof RefusedAddressError) {
      throw urlProblem(
        `must lead to the public internet: ${error.message}. Webhooks are never sent to private, loopback or link-local addresses`,
      );
    }
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') {
      throw urlProblem(`must name a host that exists: ${hostOf(url)} was not found`);
    }
    throw new AppError('SERVICE_UNAVAILABLE', `${hostOf(url)} could not be looked up just now; try again in a moment`);
  }
}

/** Registers an endpoint; the returned row holds the secret, which the caller shows this once. */
export async function createWebhookEndpoint(
  ctx: Ctx,
  admin: Actor,
  input: { url: string; events: WebhookEvent[] },
  resolve?: Resolve,
): Promise<WebhookEndpointRow> {
  const url = new URL(input.url);
  await assertDeliverable(ctx, url, resolve);
  const events = [...new Set(input.events)];
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const row = await insertEndpoint(tx, {
      url: url.href,
      events,
      secret: newWebhookSecret(),
      createdBy: admin.id,
      createdAt: now,
    });
    await recordAdminAction(tx, {
      adminId: admin.id,
      action: 'webhook.create',
      targetType: 'webhook',
      targetId: row.id,
      reason: 'registered a webhook endpoint',
      before: null,
      // Never the secret: the audit log is read by every admin, for ever.
      after: { url: row.url, events: row.events },
      at: now,
    });
    return row;
  });
}
