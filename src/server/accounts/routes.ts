import { accounts } from '../../shared/contract/index.js';
import { applyAsMechanic } from '../mechanics/apply-as-mechanic.js';
import { toMechanicDto } from '../mechanics/mechanic.dto.js';
import { findMechanic } from '../mechanics/mechanic.repository.js';
import { setShift } from '../mechanics/set-shift.js';
import { route, type App, type RouteDeps } from '../platform/routing.js';
import { toMeDto } from './account.dto.js';
import { updateProfile } from './update-profile.js';

export function accountRoutes(app: App, { ctx, auth }: RouteDeps): void {
  route(app, accounts.me, async (request) => {
    const actor = await auth.requireActor(request);
    return toMeDto(actor, await findMechanic(ctx.db, actor.id));
  });

  route(app, accounts.updateProfile, async (request) => {
    const actor = await auth.requireActor(request);
    const { user, mechanic } = await updateProfile(ctx, actor, request.body);
    return toMeDto(user, mechanic);
  });

  route(app, accounts.apply, async (request) => {
    const actor = await auth.requireActor(request);
    return toMechanicDto(await applyAsMechanic(ctx, actor, request.body));
  });

  route(app, accounts.setShift, async (request) => {
    const actor = await auth.requireActor(request, 'mechanic');
    return toMechanicDto(await setShift(ctx, actor, request.body.onShift));
  });
}
