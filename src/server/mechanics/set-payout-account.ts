import type { Actor } from '../auth/auth.js';
import { recordAdminAction } from '../audit/audit.repository.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { lockMechanic, updateMechanic } from './mechanic.repository.js';

/**
 * An admin connects (or clears) the account a mechanic's payouts go to — a Stripe Connect account
 * id when Stripe pays out. Without one, Stripe payouts are `blocked` and the balance waits.
 * Audited like every change of standing; the account id itself is recorded only as connected or not.
 */
export async function setPayoutAccount(
  ctx: Ctx,
  admin: Actor,
  userId: string,
  accountId: string | null,
  reason: string,
) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const current = await lockMechanic(tx, userId, 'update');
    if (!current) throw new AppError('NOT_FOUND', 'No such mechanic');
    const updated = (await updateMechanic(tx, userId, { payoutAccount: accountId }, now))!;
    await recordAdminAction(tx, {
      adminId: admin.id,
      action: 'mechanic.payout_account',
      targetType: 'mechanic',
      targetId: userId,
      reason,
      before: { connected: Boolean(current.payoutAccount) },
      after: { connected: Boolean(updated.payoutAccount) },
      at: now,
    });
    return { userId, connected: Boolean(updated.payoutAccount) };
  });
}
