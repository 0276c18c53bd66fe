import type { Actor as AuthActor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import type { SessionRow } from '../db/schema.js';
import type { Actor } from './machine.js';
import { loadSession, touchParticipant, type SessionWithParticipants } from './session.repository.js';

export type Relation = 'customer' | 'mechanic' | 'admin' | null;

/** How the signed-in person relates to a session: its customer, its assigned mechanic, an admin. */
export function relationTo(session: SessionRow, viewer: AuthActor): Relation {
  if (viewer.role === 'admin') return 'admin';
  if (session.customerId === viewer.id) return 'customer';
  if (session.mechanicId !== null && session.mechanicId === viewer.id) return 'mechanic';
  return null;
}

/** The lifecycle actor for a participant; admins and strangers are not participants. */
export function participantActor(session: SessionRow, viewer: AuthActor): Actor {
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
export async function loadVisibleSession(ctx: Ctx, viewer: AuthActor, id: string): Promise<SessionWithParticipants> {
  const loaded = await loadSession(ctx.db, id);
  if (!loaded) throw new AppError('NOT_FOUND', 'No such session');
  const relation = relationTo(loaded.session, viewer);
  if (!relation) throw new AppError('NOT_FOUND', 'No such session');
  if (relation !== 'admin' && (loaded.session.status === 'accepted' || loaded.session.status === 'live')) {
    await touchParticipant(ctx.db, id, viewer.id, ctx.clock.now());
  }
  return loaded;
}
