import { accounts } from '../../shared/contract/index.js';
import { countOnShift } from '../mechanics/mechanic.repository.js';
import { route, type App, type RouteDeps } from '../platform/routing.js';
import { toPlanDto, toWorkshopDto } from './catalogue.dto.js';
import { listActivePlans, listActiveWorkshops } from './catalogue.repository.js';

/** What anyone may read before signing in: plans, workshops, whether mechanics are on shift. */
export function catalogueRoutes(app: App, { ctx, config }: RouteDeps): void {
  route(app, accounts.plans, async () => ({ items: (await listActivePlans(ctx.db)).map(toPlanDto) }));
  route(app, accounts.workshops, async () => ({ items: (await listActiveWorkshops(ctx.db)).map(toWorkshopDto) }));
  route(app, accounts.available, async () => ({ onShift: await countOnShift(ctx.db) }));
  route(app, accounts.rtcConfig, async () => ({ iceServers: config.iceServers }));
}
