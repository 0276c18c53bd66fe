import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from './webhook.repository.js';

/** An endpoint as admins see it: never its secret (that is shown once, by `toCreatedEndpointDto`). */
export const toEndpointDto = (row: WebhookEndpointRow) => ({
  id: row.id,
  url: row.url,
  events: row.events as WebhookDeliveryRow['eventType'][],
  createdAt: row.createdAt.toISOString(),
});

export const toCreatedEndpointDto = (row: WebhookEndpointRow) => ({ ...toEndpointDto(row), secret: row.secret });

export const toAttemptDto = (row: WebhookAttemptRow) => ({
  statusCode: row.statusCode,
  durationMs: row.durationMs,
  error: row.error,
  at: row.createdAt.toISOString(),
});

/** A delivery with its attempts (oldest first). */
export const toDeliveryDto = (row: WebhookDeliveryRow, attempts: WebhookAttemptRow[]) => ({
  id: row.id,
  eventType: row.eventType,
  status: row.status,
  attempts: attempts.filter((a) => a.deliveryId === row.id).map(toAttemptDto),
  createdAt: row.createdAt.toISOString(),
});
