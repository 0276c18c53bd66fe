import { and, arrayContains, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { WebhookEvent } from '../../shared/domain.js';
import type { Executor } from '../db/client.js';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../db/schema.js';

/** The only module with SQL about webhooks: endpoints, deliveries and their attempts. */

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;

const live = isNull(webhookEndpoints.deletedAt);

export async function insertEndpoint(
  ex: Executor,
  values: { url: string; events: WebhookEvent[]; secret: string; createdBy: string; createdAt: Date },
): Promise<WebhookEndpointRow> {
  const [row] = await ex.insert(webhookEndpoints).values(values).returning();
  return row!;
}

export function listLiveEndpoints(ex: Executor): Promise<WebhookEndpointRow[]> {
  return ex
    .select()
    .from(webhookEndpoints)
    .where(live)
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
}

export async function findLiveEndpoint(ex: Executor, id: string): Promise<WebhookEndpointRow | undefined> {
  const [row] = await ex
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), live));
  return row;
}

/** Marks a live endpoint deleted; undefined when there is none (already deleted, or never was). */
export async function softDeleteEndpoint(ex: Executor, id: string, now: Date): Promise<WebhookEndpointRow | undefined> {
  const [row] = await ex
    .update(webhookEndpoints)
    .set({ deletedAt: now })
    .where(and(eq(webhookEndpoints.id, id), live))
    .returning();
  return row;
}

/** The live endpoints subscribed to `type`. */
export async function subscribedEndpointIds(ex: Executor, type: WebhookEvent): Promise<string[]> {
  const rows = await ex
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(live, arrayContains(webhookEndpoints.events, [type])));
  return rows.map((r) => r.id);
}

/**
 * One delivery per endpoint for this cause; an endpoint that already has one for `eventKey` gets
 * nothing more (unique (endpoint, event_key)). Returns the ids of the deliveries made now.
 */
export async function insertDeliveries(
  ex: Executor,
  endpointIds: string[],
  event: { key: string; type: WebhookEvent; payload: Record<string, unknown>; at: Date },
): Promise<string[]> {
  if (endpointIds.length === 0) return [];
  const rows = await ex
    .insert(webhookDeliveries)
    .values(
      endpointIds.map((endpointId) => ({
        endpointId,
        eventKey: event.key,
        eventType: event.type,
        payload: event.payload,
        createdAt: event.at,
        updatedAt: event.at,
      })),
    )
    .onConflictDoNothing({ target: [webhookDeliveries.endpointId, webhookDeliveries.eventKey] })
    .returning({ id: webhookDeliveries.id });
  return rows.map((r) => r.id);
}

export async function findDelivery(
  ex: Executor,
  id: string,
): Promise<{ delivery: WebhookDeliveryRow; endpoint: WebhookEndpointRow } | undefined> {
  const [row] = await ex
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, id));
  return row;
}

/** Records one attempt and counts it; a 2xx makes the delivery `succeeded`. */
export async function recordAttempt(
  ex: Executor,
  deliveryId: string,
  attempt: { statusCode: number | null; durationMs: number; error: string | null; succeeded: boolean; at: Date },
): Promise<void> {
  await ex.insert(webhookAttempts).values({
    deliveryId,
    statusCode: attempt.statusCode,
    durationMs: attempt.durationMs,
    error: attempt.error,
    createdAt: attempt.at,
  });
  await ex
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      updatedAt: attempt.at,
      ...(attempt.succeeded ? { status: 'succeeded' as const } : {}),
    })
    .where(eq(webhookDeliveries.id, deliveryId));
}

/** After the last retry: `failed`, unless something (a redelivery) has succeeded meanwhile. */
export async function markDeliveryFailed(ex: Executor, id: string, now: Date): Promise<void> {
  await ex
    .update(webhookDeliveries)
    .set({ status: 'failed', updatedAt: now })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, 'pending')));
}

export async function markDeliveryPending(ex: Executor, id: string, now: Date): Promise<WebhookDeliveryRow> {
  const [row] = await ex
    .update(webhookDeliveries)
    .set({ status: 'pending', updatedAt: now })
    .where(eq(webhookDeliveries.id, id))
    .returning();
  return row!;
}

/** An endpoint's deliveries, newest first. */
export function listDeliveries(ex: Executor, endpointId: string, limit: number): Promise<WebhookDeliveryRow[]> {
  return ex
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
}

/** The attempts of these deliveries, oldest first. */
export async function attemptsOf(ex: Executor, deliveryIds: string[]): Promise<WebhookAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return ex
    .select()
    .from(webhookAttempts)
    .where(inArray(webhookAttempts.deliveryId, deliveryIds))
    .orderBy(asc(webhookAttempts.id));
}
