import type { z } from 'zod';
import type { ApplyBody } from '../../shared/contract/index.js';
import { setRole } from '../accounts/account.repository.js';
import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { MechanicRow } from '../db/schema.js';
import { AppError, uniqueViolation } from '../errors.js';
import { announce } from '../notifications/announce.js';
import { hasBookedSessions, insertApplication } from './mechanic.repository.js';
import { requireActiveWorkshop } from './require-workshop.js';

/** A signed-in customer with no sessions applies; they become a mechanic pending approval. */
export async function applyAsMechanic(ctx: Ctx, actor: Actor, body: z.infer<typeof ApplyBody>): Promise<MechanicRow> {
  if (actor.role !== 'customer') throw new AppError('FORBIDDEN', 'Only a customer account can apply');
  if (body.serviceTier === 'workshop_partner') await requireActiveWorkshop(ctx, body.workshopId, 'body.workshopId');
  else if (body.workshopId) {
    throw new AppError('VALIDATION_FAILED', 'Only workshop partners belong to a workshop', {
      errors: [{ path: 'body.workshopId', message: 'must be empty for the virtual_only tier' }],
    });
  }
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    if (await hasBookedSessions(tx, actor.id)) {
      throw new AppError(
        'FORBIDDEN',
        'An account that has booked sessions cannot become a mechanic; use a new account',
      );
    }
    // Compare-and-set on the role, so a double submit cannot create two rows or flip twice.
    if (!(await setRole(tx, actor.id, 'mechanic', now, 'customer'))) {
      throw new AppError('FORBIDDEN', 'You have already applied');
    }
    await announce(tx, now, { type: 'application', userId: actor.id, status: 'received', at: now.toISOString() });
    try {
      return await insertApplication(
        tx,
        {
          userId: actor.id,
          displayName: body.displayName,
          serviceTier: body.serviceTier,
          workshopId: body.serviceTier === 'workshop_partner' ? body.workshopId! : null,
          brands: body.brands,
          yearsExperience: body.yearsExperience,
          bio: body.bio,
        },
        now,
      );
    } catch (error) {
      if (uniqueViolation(error)) throw new AppError('FORBIDDEN', 'You have already applied');
      throw error;
    }
  });
  ctx.bus.publish({ kind: 'auth', userId: actor.id }); // the role changed: cached sign-ins must be re-read
  return row;
}
