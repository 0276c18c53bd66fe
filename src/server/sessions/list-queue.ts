import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { Executor } from '../db/client.js';
import type { MechanicRow, SessionRow } from '../db/schema.js';
import { findMechanic } from '../mechanics/mechanic.repository.js';
import { firstFailingRule, mechanicBlock, type MechanicStanding } from './eligibility.js';
import { findParticipants, hasActiveAssignment, listPending } from './session.repository.js';
import { toSessionDto } from './session.dto.js';

export type Standing = Omit<MechanicStanding, 'mechanic'> & { userId: string; mechanic: MechanicRow | null };

export async function loadStanding(ex: Executor, userId: string, role: Actor['role']): Promise<Standing> {
  const mechanic: MechanicRow | undefined = role === 'mechanic' ? await findMechanic(ex, userId) : undefined;
  const hasActiveSession = mechanic ? await hasActiveAssignment(ex, userId) : false;
  return { userId, role, mechanic: mechanic ?? null, hasActiveSession };
}

/** Bounded: the queue shows the oldest urgent-first slice; nobody reads past a few hundred. */
const QUEUE_SCAN = 500;

export async function listQueue(ctx: Ctx, viewer: Actor) {
  const standing = await loadStanding(ctx.db, viewer.id, viewer.role);
  const block = mechanicBlock(standing);
  if (block) return { items: [], blockedBy: block };
  const now = ctx.clock.now();
  const pending = await listPending(ctx.db, viewer.id, QUEUE_SCAN);
  const visible = pending.filter(
    (p) => firstFailingRule(viewer.id, standing, p, now, ctx.windows.exclusiveSeconds) === null,
  );
  const participants = await findParticipants(
    ctx.db,
    visible.map((s) => s.id),
  );
  return {
    items: visible.map((s: SessionRow) => toSessionDto(s, participants)),
  };
}
