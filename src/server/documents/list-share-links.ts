import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { loadVisibleSession, relationTo } from '../sessions/session-access.js';
import { listLiveShareLinks, type ShareLinkRow } from './document.repository.js';

/** `GET /api/sessions/:id/share`: the customer's links that still work, to revoke them later. */
export async function listShareLinks(ctx: Ctx, viewer: Actor, sessionId: string): Promise<ShareLinkRow[]> {
  const { session } = await loadVisibleSession(ctx, viewer, sessionId);
  if (relationTo(session, viewer) !== 'customer') {
    throw new AppError('FORBIDDEN', 'Only the session’s customer manages its share links');
  }
  return listLiveShareLinks(ctx.db, sessionId, ctx.clock.now());
}
