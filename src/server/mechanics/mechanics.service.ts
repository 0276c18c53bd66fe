import { asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { ApplyBody, CreateWorkshopBody } from '../../shared/api.js';
import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { mechanics, sessions, users, workshops, type MechanicRow } from '../db/schema.js';
import { AppError, uniqueViolation } from '../errors.js';
import { recordAdminAction } from '../audit/audit.repository.js';
import type { Executor } from '../db/client.js';
import { forceEndSession } from '../sessions/force-end-session.js';
import { findActiveAssignment } from '../sessions/session.repository.js';
import { findMechanic, findWorkshop, lockMechanic } from './mechanic.repository.js';

export type MechanicDto = ReturnType<typeof toMechanicDto>;

export function toMechanicDto(row: MechanicRow) {
  return {
    userId: row.userId,
    displayName: row.displayName,
    serviceTier: row.serviceTier,
    workshopId: row.workshopId,
    approvalStatus: row.approvalStatus,
    canAcceptSessions: row.canAcceptSessions,
    onShift: row.onShift,
    shiftChangedAt: row.shiftChangedAt?.toISOString() ?? null,
    brands: row.brands,
    yearsExperience: row.yearsExperience,
    bio: row.bio,
    ratingAvg: Math.round(row.ratingAvg * 100) / 100,
    ratingCount: row.ratingCount,
  };
}

async function requireActiveWorkshop(ctx: Ctx, workshopId: string | undefined, field: string) {
  if (!workshopId) {
    throw new AppError('VALIDATION_FAILED', 'A workshop partner needs a workshop', {
      errors: [{ path: field, message: 'is required for the workshop_partner tier' }],
    });
  }
  const workshop = await findWorkshop(ctx.db, workshopId);
  if (!workshop || workshop.status !== 'active') {
    throw new AppError('VALIDATION_FAILED', 'No such active workshop', {
      errors: [{ path: field, message: 'is not an active workshop' }],
    });
  }
  return workshop;
}

/** A signed-in customer with no sessions applies; they become a mechanic pending approval. */
export async function applyAsMechanic(ctx: Ctx, actor: Actor, body: z.infer<typeof ApplyBody>): Promise<MechanicRow> {
  const row = await insertApplication(ctx, actor, body);
  ctx.bus.publish({ kind: 'auth', userId: actor.id }); // the role changed: cached sign-ins must be re-read
  return row;
}

async function insertApplication(ctx: Ctx, actor: Actor, body: z.infer<typeof ApplyBody>): Promise<MechanicRow> {
  if (actor.role !== 'customer') throw new AppError('FORBIDDEN', 'Only a customer account can apply');
  if (body.serviceTier === 'workshop_partner') await requireActiveWorkshop(ctx, body.workshopId, 'body.workshopId');
  else if (body.workshopId) {
    throw new AppError('VALIDATION_FAILED', 'Only workshop partners belong to a workshop', {
      errors: [
        {
          path: 'body.workshopId',
          message: 'must be empty for the virtual_only tier',
        },
      ],
    });
  }
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [existingSession] = await tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(eq(sessions.customerId, actor.id))
      .limit(1);
    if (existingSession) {
      throw new AppError(
        'FORBIDDEN',
        'An account that has booked sessions cannot become a mechanic; use a new account',
      );
    }
    // Compare-and-set on the role, so a double submit cannot create two rows or flip twice.
    const promoted = await tx
      .update(users)
      .set({ role: 'mechanic', updatedAt: now })
      .where(eq(users.id, actor.id))
      .returning({ role: users.role });
    if (promoted.length === 0) throw new AppError('NOT_FOUND', 'No such user');
    try {
      const [row] = await tx
        .insert(mechanics)
        .values({
          userId: actor.id,
          displayName: body.displayName,
          serviceTier: body.serviceTier,
          workshopId: body.serviceTier === 'workshop_partner' ? body.workshopId! : null,
          brands: body.brands,
          yearsExperience: body.yearsExperience,
          bio: body.bio,
          approvalStatus: 'pending',
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      return row!;
    } catch (error) {
      if (uniqueViolation(error)) throw new AppError('FORBIDDEN', 'You have already applied');
      throw error;
    }
  });
}

export async function requireMechanic(ctx: Ctx, actor: Actor): Promise<MechanicRow> {
  const row = actor.role === 'mechanic' ? await findMechanic(ctx.db, actor.id) : undefined;
  if (!row) throw new AppError('FORBIDDEN', 'This needs a mechanic account');
  return row;
}

export async function setShift(ctx: Ctx, actor: Actor, onShift: boolean): Promise<MechanicRow> {
  await requireMechanic(ctx, actor);
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .update(mechanics)
    .set({ onShift, shiftChangedAt: now, updatedAt: now })
    .where(eq(mechanics.userId, actor.id))
    .returning();
  ctx.bus.publish({ kind: 'mechanic', userId: actor.id });
  return row!;
}

type MechanicChange = Partial<
  Pick<MechanicRow, 'approvalStatus' | 'canAcceptSessions' | 'onShift' | 'serviceTier' | 'workshopId'>
>;

/** An audited admin change to one mechanic: before and after go to admin_actions. */
async function changeMechanic(
  ctx: Ctx,
  admin: Actor,
  userId: string,
  action: string,
  reason: string,
  change: (current: MechanicRow) => MechanicChange,
  check?: (tx: Executor) => Promise<void>,
): Promise<MechanicRow> {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const current = await lockMechanic(tx, userId, 'update');
    if (!current) throw new AppError('NOT_FOUND', 'No such mechanic');
    await check?.(tx);
    return writeMechanicChange(tx, admin, current, action, reason, change(current), now);
  });
  ctx.bus.publish({ kind: 'mechanic', userId });
  return row;
}

/** Writes a change to a locked mechanic row and its audit entry (before and after of what changed). */
async function writeMechanicChange(
  tx: Executor,
  admin: Actor,
  current: MechanicRow,
  action: string,
  reason: string,
  patch: MechanicChange,
  now: Date,
): Promise<MechanicRow> {
  const [updated] = await tx
    .update(mechanics)
    .set({ ...patch, updatedAt: now })
    .where(eq(mechanics.userId, current.userId))
    .returning();
  const pick = (m: MechanicRow) => Object.fromEntries(Object.keys(patch).map((k) => [k, m[k as keyof MechanicRow]]));
  await recordAdminAction(tx, {
    adminId: admin.id,
    action,
    targetType: 'mechanic',
    targetId: current.userId,
    reason,
    before: pick(current),
    after: pick(updated!),
    at: now,
  });
  return updated!;
}

export const approveMechanic = (ctx: Ctx, admin: Actor, userId: string, reason: string) =>
  changeMechanic(ctx, admin, userId, 'mechanic.approve', reason, () => ({
    approvalStatus: 'approved',
  }));

const SUSPENDED: MechanicChange = { approvalStatus: 'suspended', onShift: false };

/**
 * Suspends a mechanic. A mechanic in the middle of an accepted or live session would break
 * invariant I4 (assigned sessions belong to approved mechanics), so that is refused with the
 * session named — unless `endActiveSession`, when the session is force-ended (T13, the same reason)
 * and the mechanic suspended in one audited transaction. Either way the mechanic row is locked
 * first, so a concurrent accept waits and then finds them suspended (or the suspension finds the
 * accepted session).
 */
export async function suspendMechanic(
  ctx: Ctx,
  admin: Actor,
  userId: string,
  reason: string,
  options: { endActiveSession?: boolean } = {},
): Promise<MechanicRow> {
  const active = options.endActiveSession ? await findActiveAssignment(ctx.db, userId) : undefined;
  if (active) {
    let suspended: MechanicRow | undefined;
    try {
      await forceEndSession(ctx, admin, active.id, reason, {
        guard: async (tx) => {
          if (!(await lockMechanic(tx, userId, 'update'))) throw new AppError('NOT_FOUND', 'No such mechanic');
        },
        onWrite: async (tx, now) => {
          const current = (await lockMechanic(tx, userId, 'update'))!;
          suspended = await writeMechanicChange(tx, admin, current, 'mechanic.suspend', reason, SUSPENDED, now);
        },
      });
    } catch (error) {
      // It ended on its own meanwhile: a plain suspension is all that is left to do.
      if (!(error instanceof AppError && error.code === 'SESSION_CLOSED')) throw error;
    }
    if (suspended) {
      ctx.bus.publish({ kind: 'mechanic', userId });
      return suspended;
    }
  }
  return changeMechanic(
    ctx,
    admin,
    userId,
    'mechanic.suspend',
    reason,
    () => SUSPENDED,
    async (tx) => {
      const session = await findActiveAssignment(tx, userId);
      if (session) {
        throw new AppError(
          'MECHANIC_IN_SESSION',
          `The mechanic is in session ${session.id} (${session.status}): end it first, or suspend with endActiveSession`,
          { extra: { sessionId: session.id } },
        );
      }
    },
  );
}

export const setCanAccept = (ctx: Ctx, admin: Actor, userId: string, value: boolean, reason: string) =>
  changeMechanic(ctx, admin, userId, 'mechanic.can_accept', reason, () => ({
    canAcceptSessions: value,
  }));

export async function addWorkshopMember(ctx: Ctx, admin: Actor, workshopId: string, userId: string, reason: string) {
  await requireActiveWorkshop(ctx, workshopId, 'params.id');
  return changeMechanic(ctx, admin, userId, 'workshop.add_member', reason, () => ({
    serviceTier: 'workshop_partner',
    workshopId,
  }));
}

export async function createWorkshop(ctx: Ctx, admin: Actor, body: z.infer<typeof CreateWorkshopBody>) {
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(workshops)
        .values({
          name: body.name,
          city: body.city,
          country: body.country,
          createdAt: now,
        })
        .returning();
      await recordAdminAction(tx, {
        adminId: admin.id,
        action: 'workshop.create',
        targetType: 'workshop',
        targetId: row!.id,
        reason: body.reason ?? 'new workshop',
        before: null,
        after: row,
        at: now,
      });
      return row!;
    });
  } catch (error) {
    if (uniqueViolation(error))
      throw new AppError('VALIDATION_FAILED', 'A workshop with this name exists in this city');
    throw error;
  }
}

export async function listActiveWorkshops(ctx: Ctx) {
  return ctx.db
    .select({
      id: workshops.id,
      name: workshops.name,
      city: workshops.city,
      country: workshops.country,
    })
    .from(workshops)
    .where(eq(workshops.status, 'active'))
    .orderBy(asc(workshops.name));
}

export async function listMechanics(ctx: Ctx, approval?: MechanicRow['approvalStatus']) {
  const rows = await ctx.db
    .select({ mechanic: mechanics, email: users.email, name: users.name })
    .from(mechanics)
    .innerJoin(users, eq(users.id, mechanics.userId))
    .where(approval ? eq(mechanics.approvalStatus, approval) : undefined)
    .orderBy(asc(mechanics.createdAt));
  return rows.map((r) => ({
    ...toMechanicDto(r.mechanic),
    email: r.email,
    name: r.name,
  }));
}
