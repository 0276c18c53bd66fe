import crypto from 'node:crypto';
import type { Actor } from '../auth/auth.js';
import type { CreateSessionBody } from '../../shared/contract/index.js';
import { findPlan, findWorkshop } from '../catalogue/catalogue.repository.js';
import type { Ctx } from '../context.js';
import { AppError, sqlState, uniqueViolation } from '../errors.js';
import type { VehicleSnapshot } from '../db/schema.js';
import { findMechanic } from '../mechanics/mechanic.repository.js';
import { attachPayment, syncPayment } from '../payments/attach-payment.js';
import { findOwnedVehicle } from '../vehicles/vehicle.repository.js';
import { offerDeadline } from './machine.js';
import {
  appendEvent,
  findByIdempotencyKey,
  findParticipants,
  hasUsedFreePlan,
  insertSession,
  type SessionWithParticipants,
} from './session.repository.js';

export type CreateResult = SessionWithParticipants & { created: boolean };

/** Stable JSON (sorted keys) so that the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const fieldError = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });

const FOREIGN_KEY_VIOLATION = '23503';
const noSuchVehicle = () => fieldError('body.vehicleId', 'No vehicle with this id in your garage');

/**
 * The vehicle the session keeps: the one described in the request, or a snapshot of a saved one
 * of the caller's (later edits or the deletion of the saved vehicle do not change the session).
 */
async function vehicleOfRequest(
  ctx: Ctx,
  customer: Actor,
  body: CreateSessionBody,
): Promise<{ id: string | null; snapshot: VehicleSnapshot }> {
  if (body.vehicle) return { id: null, snapshot: body.vehicle };
  const saved = body.vehicleId ? await findOwnedVehicle(ctx.db, body.vehicleId, customer.id) : undefined;
  if (!saved) throw noSuchVehicle();
  const snapshot: VehicleSnapshot = { year: saved.year, make: saved.make, model: saved.model };
  if (saved.vin) snapshot.vin = saved.vin;
  if (saved.mileage !== null) snapshot.mileage = saved.mileage;
  if (saved.trim) snapshot.trim = saved.trim;
  if (saved.engine) snapshot.engine = saved.engine;
  if (saved.fuel) snapshot.fuel = saved.fuel;
  return { id: saved.id, snapshot };
}

/** T1: a customer asks for help. A `pending` session *is* the request. */
export async function createSession(
  ctx: Ctx,
  customer: Actor,
  body: CreateSessionBody,
  idempotencyKey?: string,
): Promise<CreateResult> {
  if (customer.role !== 'customer') throw new AppError('FORBIDDEN', 'Only customers can request a session');
  const bodyHash = crypto.createHash('sha256').update(canonical(body)).digest('hex');

  const replay = async (): Promise<CreateResult | undefined> => {
    if (!idempotencyKey) return undefined;
    const existing = await findByIdempotencyKey(ctx.db, customer.id, idempotencyKey);
    if (!existing) return undefined;
    if (existing.idempotencyHash !== bodyHash) {
      throw new AppError('IDEMPOTENCY_MISMATCH', 'This Idempotency-Key was used with a different request body');
    }
    return {
      session: existing,
      participants: await findParticipants(ctx.db, [existing.id]),
      created: false,
    };
  };

  const earlier = await replay();
  if (earlier) return earlier;

  const plan = await findPlan(ctx.db, body.plan);
  if (!plan || !plan.active) throw fieldError('body.plan', `No active plan "${body.plan}"`);
  if (plan.slug === 'free' && (await hasUsedFreePlan(ctx.db, customer.id))) {
    throw new AppError('FREE_PLAN_USED', 'The free quick question is once per customer; pick another plan');
  }
  if (body.workshopId) {
    const workshop = await findWorkshop(ctx.db, body.workshopId);
    if (!workshop || workshop.status !== 'active') throw fieldError('body.workshopId', 'No such active workshop');
  }
  if (body.preferredMechanicId) {
    const mechanic = await findMechanic(ctx.db, body.preferredMechanicId);
    if (!mechanic || mechanic.approvalStatus !== 'approved') {
      throw fieldError('body.preferredMechanicId', 'No such approved mechanic');
    }
  }

  const vehicle = await vehicleOfRequest(ctx, customer, body);

  // With Stripe the browser confirmed the card with Stripe: make sure we know it is authorised.
  if (body.paymentId) await syncPayment(ctx, body.paymentId);

  const now = ctx.clock.now();
  const urgent = body.urgent ?? false;
  try {
    const result = await ctx.db.transaction(async (tx) => {
      const created = await insertSession(tx, {
        customerId: customer.id,
        plan: plan.slug,
        kind: plan.kind,
        vehicle: vehicle.snapshot,
        vehicleId: vehicle.id,
        troubleCodes: body.troubleCodes ?? [],
        concern: body.concern,
        urgent,
        preferredMechanicId: body.preferredMechanicId ?? null,
        workshopId: body.workshopId ?? null,
        deadlineAt: offerDeadline(now, urgent, ctx.windows),
        requestedAt: now,
        plannedMinutes: plan.minutes,
        idempotencyKey: idempotencyKey ?? null,
        idempotencyHash: idempotencyKey ? bodyHash : null,
      });
      // Paid plans: the authorised payment is attached in the same transaction (or nothing is created).
      await attachPayment(tx, {
        paymentId: body.paymentId,
        customerId: customer.id,
        plan,
        sessionId: created.session.id,
        now,
      });
      // Its trigger announces the new session to realtime at commit (migration 0002).
      await appendEvent(tx, {
        sessionId: created.session.id,
        type: 'session.created',
        actorId: customer.id,
        actorRole: 'customer',
        fromStatus: null,
        toStatus: 'pending',
        payload: { rule: 'T1', plan: plan.slug, urgent },
        createdAt: now,
      });
      return created;
    });
    return { ...result, created: true };
  } catch (error) {
    const constraint = uniqueViolation(error);
    // A concurrent retry with the same key won the insert: answer as the retry it is.
    if (constraint === 'sessions_idempotency_key') {
      const winner = await replay();
      if (winner) return winner;
    }
    if (constraint === 'sessions_one_open_per_customer_key') {
      const winner = await replay();
      if (winner) return winner;
      throw new AppError('ACTIVE_SESSION_EXISTS', 'Finish or cancel your current session before starting another');
    }
    // The saved vehicle was deleted between reading it and linking the session to it.
    if (vehicle.id && sqlState(error) === FOREIGN_KEY_VIOLATION) throw noSuchVehicle();
    throw error;
  }
}
