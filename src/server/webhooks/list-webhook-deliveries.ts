import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { toDeliveryDto } from './webhook.dto.js';
import { attemptsOf, findLiveEndpoint, listDeliveries } from './webhook.repository.js';

/** An endpoint's delivery log: newest delivery first, each with its attempts in order. */
export async function listWebhookDeliveries(ctx: Ctx, endpointId: string, limit: number) {
  const endpoint = await findLiveEndpoint(ctx.db, endpointId);
  if (!endpoint) throw new AppError('NOT_FOUND', 'No such webhook endpoint');
  const deliveries = await listDeliveries(ctx.db, endpoint.id, limit);
  const attempts = await attemptsOf(
    ctx.db,
    deliveries.map((d) => d.id),
  );
  return deliveries.map((d) => toDeliveryDto(d, attempts));
}
