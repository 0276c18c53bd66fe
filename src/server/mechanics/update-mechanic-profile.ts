import type { UpdateMechanicProfileBody } from '../../shared/contract/index.js';
import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { getMechanicProfile, requireOwnMechanic, type ProfileView } from './get-mechanic-profile.js';
import { updateMechanic } from './mechanic.repository.js';

/** "Toyota", "toyota " and "TOYOTA" are one make: the first spelling is kept, in the order given. */
export function distinctMakes(brands: readonly string[]): string[] {
  const seen = new Set<string>();
  return brands.filter((brand) => {
    const key = brand.toLocaleLowerCase('en-US');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * A mechanic changes what customers read about them. Tier and workshop are not theirs to change
 * (an admin decides them: they gate which requests the mechanic may take), nor the rating.
 */
export async function updateMechanicProfile(
  ctx: Ctx,
  actor: Actor,
  body: UpdateMechanicProfileBody,
): Promise<ProfileView> {
  await requireOwnMechanic(ctx, actor);
  await updateMechanic(
    ctx.db,
    actor.id,
    {
      displayName: body.displayName,
      yearsExperience: body.yearsExperience,
      brands: distinctMakes(body.brands),
      bio: body.bio,
    },
    ctx.clock.now(),
  );
  return getMechanicProfile(ctx, actor, actor.id);
}
