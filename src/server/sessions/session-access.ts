import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import type { Executor } from '../db/client.js';
import type { SessionRow } from '../db/schema.js';
import { findMechanic } from '../mechanics/mechanic.repository.js';
import type { LifecycleActor } from './machine.js';
import { loadSession, type SessionWithParticipants } from './session.repository.js';
import { touchParticipant } from './participant.repository.js';

export type Relation = 'customer' | 'mechanic' | 'admin' | null;

/** How the signed-in person relates to a session: its customer, its assigned mechanic, an admin. */
export function relationTo(session: SessionRow, viewer: Actor): Relation {
  if (viewer.role === 'admin') return 'admin';
  if (session.customerId === viewer.id) return 'customer';
  if (session.mechanicId !== null && session.mechanicId === viewer.id) return 'mechanic';
  return null;
}

/** The lifecycle actor for a participant; admins and strangers are not participants. */
export function participantActor(session: SessionRow, viewer: Actor): LifecycleActor {
  const relation = relationTo(session, viewer);
  if (relation === 'customer') return { kind: 'customer', userId: viewer.id };
  if (relation === 'mechanic') return { kind: 'mechanic', userId: viewer.id };
  if (relation === 'admin') throw new AppError('FORBIDDEN', 'Admins act on sessions through the admin tools');
  throw new AppError('NOT_FOUND', 'No such session');
}

/**
 * Loads a session its customer, its assigned mechanic or an admin may see. Anyone else gets
 * NOT_FOUND, never FORBIDDEN, so that session ids cannot be probed. A participant's read counts
 * as a sign of life for the abandon rule.
 */
export async function loadVisibleSession(ctx: Ctx, viewer: Actor, id: string): Promise<SessionWithParticipants> {
  const loaded = await loadSession(ctx.db, id);
  if (!loaded) throw new AppError('NOT_FOUND', 'No such session');
  const relation = relationTo(loaded.session, viewer);
  if (!relation) throw new AppError('NOT_FOUND', 'No such session');
  if (relation !== 'admin' && (loaded.session.status === 'accepted' || loaded.session.status === 'live')) {
    await touchParticipant(ctx.db, id, viewer.id, ctx.clock.now());
  }
  return loaded;
}

/**
 * The lifecycle actor for a participant who may act now: a mechanic whose account was suspended
 * reads what they could read, but acts in no session (no upload, no report).
 */
export async function actingParticipant(ex: Executor, session: SessionRow, viewer: Actor): Promise<LifecycleActor> {
  const actor = participantActor(session, viewer);
  if (actor.kind === 'mechanic' && (await findMechanic(ex, viewer.id))?.approvalStatus !== 'approved') {
    throw new AppError('FORBIDDEN', 'Your mechanic account is suspended: you cannot act in sessions');
  }
  return actor;
}
