import type { Actor } from '../auth/auth.js';
import { recordAdminAction } from '../audit/audit.repository.js';
import type { Ctx } from '../context.js';
import type { Executor } from '../db/client.js';
import type { MechanicRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { announce } from '../notifications/announce.js';
import { forceEndSession } from '../sessions/force-end-session.js';
import { findActiveAssignment } from '../sessions/session.repository.js';
import { lockMechanic, updateMechanic, type MechanicChange } from './mechanic.repository.js';
import { requireActiveWorkshop } from './require-workshop.js';

/*
 * An admin changes a mechanic's standing: approval, suspension, whether they may accept, their
 * workshop. Each change locks the mechanic row, writes, and records before/after in the audit log
 * in one transaction; then the mechanic's sockets and queue follow through the bus.
 */

async function changeMechanic(
  ctx: Ctx,
  admin: Actor,
  userId: string,
  action: string,
  reason: string,
  change: MechanicChange,
  check?: (tx: Executor, current: MechanicRow) => Promise<void>,
): Promise<MechanicRow> {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const current = await lockMechanic(tx, userId, 'update');
    if (!current) throw new AppError('NOT_FOUND', 'No such mechanic');
    await check?.(tx, current);
    return writeChange(tx, admin, current, action, reason, change, now);
  });
  ctx.bus.publish({ kind: 'mechanic', userId });
  return row;
}

/** Writes a change to a locked mechanic row and its audit entry (before and after of what changed). */
async function writeChange(
  tx: Executor,
  admin: Actor,
  current: MechanicRow,
  action: string,
  reason: string,
  change: MechanicChange,
  now: Date,
): Promise<MechanicRow> {
  const updated = (await updateMechanic(tx, current.userId, change, now))!;
  // The mechanic hears of a decision about their standing by email and in the app.
  if (updated.approvalStatus !== current.approvalStatus && updated.approvalStatus !== 'pending') {
    const status =
      action === 'mechanic.decline' ? 'declined' : updated.approvalStatus === 'approved' ? 'approved' : 'suspended';
    await announce(tx, now, { type: 'application', userId: current.userId, status, reason, at: now.toISOString() });
  }
  const pick = (m: MechanicRow) => Object.fromEntries(Object.keys(change).map((k) => [k, m[k as keyof MechanicRow]]));
  await recordAdminAction(tx, {
    adminId: admin.id,
    action,
    targetType: 'mechanic',
    targetId: current.userId,
    reason,
    before: pick(current),
    after: pick(updated),
    at: now,
  });
  return updated;
}

const SUSPENDED: MechanicChange = { approvalStatus: 'suspended', onShift: false };

export const approveMechanic = (ctx: Ctx, admin: Actor, userId: string, reason: string) =>
  changeMechanic(ctx, admin, userId, 'mechanic.approve', reason, { approvalStatus: 'approved' });

/**
 * Declines a pending application. There is no separate status for it (the approval is
 * `suspended`, as for a suspension: the account cannot take requests); the audit log keeps the
 * difference, as `mechanic.decline` with the reason. Only a pending application can be declined,
 * so a double click, or a decline racing an approval, is refused rather than undoing the other.
 */
export const declineMechanic = (ctx: Ctx, admin: Actor, userId: string, reason: string) =>
  changeMechanic(ctx, admin, userId, 'mechanic.decline', reason, SUSPENDED, async (_tx, current) => {
    if (current.approvalStatus !== 'pending') {
      throw new AppError(
        'INVALID_TRANSITION',
        `Only a pending application can be declined; this mechanic is ${current.approvalStatus}`,
      );
    }
  });

export const setCanAccept = (ctx: Ctx, admin: Actor, userId: string, value: boolean, reason: string) =>
  changeMechanic(ctx, admin, userId, 'mechanic.can_accept', reason, { canAcceptSessions: value });

export async function addWorkshopMember(ctx: Ctx, admin: Actor, workshopId: string, userId: string, reason: string) {
  await requireActiveWorkshop(ctx, workshopId, 'params.id');
  return changeMechanic(ctx, admin, userId, 'workshop.add_member', reason, {
    serviceTier: 'workshop_partner',
    workshopId,
  });
}

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
          suspended = await writeChange(tx, admin, current, 'mechanic.suspend', reason, SUSPENDED, now);
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
  return changeMechanic(ctx, admin, userId, 'mechanic.suspend', reason, SUSPENDED, async (tx) => {
    const session = await findActiveAssignment(tx, userId);
    if (session) {
      throw new AppError(
        'MECHANIC_IN_SESSION',
        `The mechanic is in session ${session.id} (${session.status}): end it first, or suspend with endActiveSession`,
        { extra: { sessionId: session.id } },
      );
    }
  });
}
