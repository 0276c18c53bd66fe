import path from 'node:path';
import { vehicles } from '../../shared/contract/index.js';
import { route, type App, type RouteDeps } from '../platform/routing.js';
import { createVehicle } from './create-vehicle.js';
import { decodeVin } from './decode-vin.js';
import { deleteVehicle } from './delete-vehicle.js';
import { getOwnedVehicle } from './get-vehicle.js';
import { getVehicleHistory } from './get-vehicle-history.js';
import { listVehicles } from './list-vehicles.js';
import { lookupTroubleCode } from './lookup-trouble-code.js';
import { updateVehicle } from './update-vehicle.js';
import { toHistoryDto, toVehicleDto } from './vehicle.dto.js';
import { createVinDecoder } from './vin-decoder.js';

/** The garage, VIN decode and trouble codes (vehicles.md §4). */
export function vehicleRoutes(app: App, { ctx, auth, config }: RouteDeps): void {
  // One decoder per app, opened on the first VIN and closed with the app.
  const decoder = createVinDecoder({ cacheDir: path.resolve(config.dataDir, 'vpic'), log: ctx.log });
  app.addHook('onClose', () => decoder.close());

  route(app, vehicles.list, async (request) => {
    const actor = await auth.requireActor(request, 'customer');
    return { items: (await listVehicles(ctx, actor)).map(toVehicleDto) };
  });

  route(app, vehicles.create, async (request) => {
    const actor = await auth.requireActor(request, 'customer');
    return toVehicleDto(await createVehicle(ctx, decoder, actor, request.body));
  });

  route(app, vehicles.get, async (request) => {
    const actor = await auth.requireActor(request);
    return toVehicleDto(await getOwnedVehicle(ctx, actor, request.params.id));
  });

  route(app, vehicles.update, async (request) => {
    const actor = await auth.requireActor(request);
    return toVehicleDto(await updateVehicle(ctx, decoder, actor, request.params.id, request.body));
  });

  route(app, vehicles.remove, async (request) => {
    const actor = await auth.requireActor(request);
    return toVehicleDto(await deleteVehicle(ctx, actor, request.params.id));
  });

  route(app, vehicles.history, async (request) => {
    const actor = await auth.requireActor(request);
    return toHistoryDto(await getVehicleHistory(ctx, actor, request.params.id));
  });

  route(app, vehicles.decodeVin, async (request) => {
    await auth.requireActor(request);
    return decodeVin(ctx, decoder, request.params.vin);
  });

  route(app, vehicles.troubleCode, async (request) => lookupTroubleCode(request.params.code));
}
