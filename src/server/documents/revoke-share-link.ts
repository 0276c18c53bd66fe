import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { loadVisibleSession, relationTo } from '../sessions/session-access.js';
import { findShareLink, markShareLinkRevoked } from './document.repository.js';

/**
 * `DELETE /api/sessions/:id/share/:linkId`: the session's customer revokes one link; from then on
 * it answers 404. Revoking a link already revoked or expired changes nothing (DELETE is idempotent).
 */
export async function revokeShareLink(ctx: Ctx, viewer: Actor, sessionId: string, linkId: string): Promise<void> {
  const { session } = await loadVisibleSession(ctx, viewer, sessionId);
  if (relationTo(session, viewer) !== 'customer') {
    throw new AppError('FORBIDDEN', 'Only the session’s customer manages its share links');
  }
  const link = await findShareLink(ctx.db, sessionId, linkId);
  if (!link) throw new AppError('NOT_FOUND', 'No such share link for this session');
  await markShareLinkRevoked(ctx.db, link.id, ctx.clock.now());
}
