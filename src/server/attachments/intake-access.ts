import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { SessionRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { isOfferedTo } from '../sessions/offer-access.js';
import { loadVisibleSession, relationTo } from '../sessions/session-access.js';
import { findSession } from '../sessions/session.repository.js';

/**
 * The session whose photos from the request `viewer` may see: its customer, its assigned mechanic
 * and admins, as for everything of a session — and, while it waits, the mechanics it is offered
 * to. Anyone else gets NOT_FOUND, so that request ids cannot be probed through their photos.
 */
export async function loadIntakeViewableSession(ctx: Ctx, viewer: Actor, sessionId: string): Promise<SessionRow> {
  const session = await findSession(ctx.db, sessionId);
  if (session && relationTo(session, viewer)) return (await loadVisibleSession(ctx, viewer, sessionId)).session;
  if (session && (await isOfferedTo(ctx, viewer, session))) return session;
  throw new AppError('NOT_FOUND', 'No such session');
}
