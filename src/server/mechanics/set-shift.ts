import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { MechanicRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { announce } from '../notifications/announce.js';
import { findMechanic, updateMechanic } from './mechanic.repository.js';

/** A mechanic goes on or off shift; their queue (and the waitlist) follow through the bus. */
export async function setShift(ctx: Ctx, actor: Actor, onShift: boolean): Promise<MechanicRow> {
  const current = actor.role === 'mechanic' ? await findMechanic(ctx.db, actor.id) : undefined;
  if (!current) throw new AppError('FORBIDDEN', 'This needs a mechanic account');
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const updated = await updateMechanic(tx, actor.id, { onShift, shiftChangedAt: now }, now);
    // Customers waiting for a mechanic hear of one coming on shift (notifications.md §4).
    if (onShift && !current.onShift)
      await announce(tx, now, { type: 'on_shift', userId: actor.id, at: now.toISOString() });
    return updated;
  });
  ctx.bus.publish({ kind: 'mechanic', userId: actor.id });
  return row!;
}
