import { accounts } from '../../shared/contract/index.js';
import { applyAsMechanic } from '../mechanics/apply-as-mechanic.js';
import { toMechanicDto } from '../mechanics/mechanic.dto.js';
import { findMechanic } from '../mechanics/mechanic.repository.js';
import { setShift } from '../mechanics/set-shift.js';
import { route, type App, type RouteDeps } from '../platform/routing.js';

export function accountRoutes(app: App, { ctx, auth }: RouteDeps): void {
  route(app, accounts.me, async (request) => {
    const actor = await auth.requireActor(request);
    const mechanic = await findMechanic(ctx.db, actor.id);
    return {
      user: { id: actor.id, email: actor.email, name: actor.name, role: actor.role },
      mechanic: mechanic ? toMechanicDto(mechanic) : null,
    };
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
