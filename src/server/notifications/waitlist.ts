import type { Actor } from '../auth/auth.js';
import { findPlan } from '../catalogue/catalogue.repository.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { deleteWaitlistEntry, findWaitlistEntry, upsertWaitlistEntry } from './notification.repository.js';
import { toWaitlistEntryDto } from './notification.dto.js';

/*
 * The waitlist (notifications.md §4): when nobody is on shift, a customer asks to be told when a
 * mechanic for their plan comes on; they hear once (email and notification) and leave the list.
 * Entries last 24 hours.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

function requireCustomer(actor: Actor) {
  if (actor.role !== 'customer') throw new AppError('FORBIDDEN', 'Only customers can wait for a mechanic');
}

export async function joinWaitlist(ctx: Ctx, actor: Actor, body: { plan: string; vehicle: string }) {
  requireCustomer(actor);
  const plan = await findPlan(ctx.db, body.plan);
  if (!plan?.active) {
    throw new AppError('VALIDATION_FAILED', 'Choose one of the plans on offer', {
      errors: [{ path: 'body.plan', message: 'is not a plan on offer' }],
    });
  }
  const now = ctx.clock.now();
  const row = await upsertWaitlistEntry(
    ctx.db,
    {
      customerId: actor.id,
      plan: plan.slug,
      vehicleSummary: body.vehicle,
      expiresAt: new Date(now.getTime() + DAY_MS),
    },
    now,
  );
  return { entry: toWaitlistEntryDto(row) };
}

export async function leaveWaitlist(ctx: Ctx, actor: Actor) {
  requireCustomer(actor);
  await deleteWaitlistEntry(ctx.db, actor.id);
  return { ok: true as const };
}

export async function getWaitlistEntry(ctx: Ctx, actor: Actor) {
  requireCustomer(actor);
  const row = await findWaitlistEntry(ctx.db, actor.id, ctx.clock.now());
  return { entry: row ? toWaitlistEntryDto(row) : null };
}
