import { webhooks as endpoints } from '../../shared/contract/index.js';
import { AppError } from '../errors.js';
import { route, type App, type RouteDeps } from '../platform/routing.js';
import { createWebhookEndpoint } from './create-webhook-endpoint.js';
import { deleteWebhookEndpoint } from './delete-webhook-endpoint.js';
import { listWebhookDeliveries } from './list-webhook-deliveries.js';
import { redeliverWebhook } from './redeliver-webhook.js';
import { toCreatedEndpointDto, toEndpointDto } from './webhook.dto.js';
import { findLiveEndpoint, listLiveEndpoints } from './webhook.repository.js';

/** Integrators' webhooks (notifications.md §6), for admins only. */
export function webhookRoutes(app: App, { ctx, auth }: RouteDeps): void {
  route(app, endpoints.create, async (request) => {
    const admin = await auth.requireActor(request, 'admin');
    return toCreatedEndpointDto(await createWebhookEndpoint(ctx, admin, request.body));
  });

  route(app, endpoints.list, async (request) => {
    await auth.requireActor(request, 'admin');
    return { items: (await listLiveEndpoints(ctx.db)).map(toEndpointDto) };
  });

  route(app, endpoints.get, async (request) => {
    await auth.requireActor(request, 'admin');
    const row = await findLiveEndpoint(ctx.db, request.params.id);
    if (!row) throw new AppError('NOT_FOUND', 'No such webhook endpoint');
    return toEndpointDto(row);
  });

  route(app, endpoints.remove, async (request, reply) => {
    const admin = await auth.requireActor(request, 'admin');
    await deleteWebhookEndpoint(ctx, admin, request.params.id);
    return reply.code(204).send();
  });

  route(app, endpoints.deliveries, async (request) => {
    await auth.requireActor(request, 'admin');
    return { items: await listWebhookDeliveries(ctx, request.params.id, request.query.limit) };
  });

  route(app, endpoints.redeliver, async (request) => {
    const admin = await auth.requireActor(request, 'admin');
    return redeliverWebhook(ctx, admin, request.params.id);
  });
}
