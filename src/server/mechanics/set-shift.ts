import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { MechanicRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { findMechanic, updateMechanic } from './mechanic.repository.js';

/** A mechanic goes on or off shift; their queue (and the waitlist) follow through the bus. */
export async function setShift(ctx: Ctx, actor: Actor, onShift: boolean): Promise<MechanicRow> {
  const current = actor.role === 'mechanic' ? await findMechanic(ctx.db, actor.id) : undefined;
  if (!current) throw new AppError('FORBIDDEN', 'This needs a mechanic account');
  const now = ctx.clock.now();
  const row = await updateMechanic(ctx.db, actor.id, { onShift, shiftChangedAt: now }, now);
  ctx.bus.publish({ kind: 'mechanic', userId: actor.id });
  return row!;
}
