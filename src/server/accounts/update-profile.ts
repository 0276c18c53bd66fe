import type { z } from 'zod';
import type { UpdateProfileBody } from '../../shared/contract/index.js';
import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { findMechanic, updateMechanic } from '../mechanics/mechanic.repository.js';
import { findUserById, setName } from './account.repository.js';

/**
 * The account page's change, for any role: the account's name and, for a mechanic, the name they
 * work under — one transaction. Cached sign-ins carry the name, so they are evicted everywhere
 * afterwards, as after a role change; otherwise `/api/me` would answer the old name for 30 s.
 */
export async function updateProfile(ctx: Ctx, actor: Actor, body: z.infer<typeof UpdateProfileBody>) {
  const now = ctx.clock.now();
  const result = await ctx.db.transaction(async (tx) => {
    const user =
      body.name === undefined ? await findUserById(tx, actor.id) : await setName(tx, actor.id, body.name, now);
    if (!user) throw new AppError('NOT_FOUND', 'This account no longer exists');
    let mechanic = await findMechanic(tx, actor.id);
    if (body.displayName !== undefined) {
      // The row decides, not the role in a cached sign-in.
      if (!mechanic) {
        throw new AppError('VALIDATION_FAILED', 'Only mechanic accounts have a name they work under', {
          errors: [{ path: 'body.displayName', message: 'is only for mechanic accounts' }],
        });
      }
      mechanic = await updateMechanic(tx, actor.id, { displayName: body.displayName }, now);
    }
    return { user, mechanic };
  });
  ctx.bus.publish({ kind: 'auth', userId: actor.id });
  return result;
}
