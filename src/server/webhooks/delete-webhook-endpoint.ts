import type { Actor } from '../auth/auth.js';
import { recordAdminAction } from '../audit/audit.repository.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { softDeleteEndpoint } from './webhook.repository.js';

/**
 * Deletes an endpoint: it is kept (its delivery log stays in the database) but marked deleted, and
 * nothing more is delivered to it — its waiting jobs find it deleted and finish doing nothing.
 */
export async function deleteWebhookEndpoint(ctx: Ctx, admin: Actor, id: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const row = await softDeleteEndpoint(tx, id, now);
    if (!row) throw new AppError('NOT_FOUND', 'No such webhook endpoint');
    await recordAdminAction(tx, {
      adminId: admin.id,
      action: 'webhook.delete',
      targetType: 'webhook',
      targetId: id,
      reason: 'deleted a webhook endpoint',
      before: { url: row.url, events: row.events },
      after: { deletedAt: now.toISOString() },
      at: now,
    });
  });
}
