import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { findReport } from '../reports/report.repository.js';
import { loadVisibleSession, relationTo } from '../sessions/session-access.js';
import { countLiveShareLinks, insertShareLink, type ShareLinkRow } from './document.repository.js';
import { hashShareToken, newShareToken } from './share-token.js';

export const SHARE_LINK_DAYS = 7;
/** Enough for a shop, a family member and a second opinion; a runaway script stops here. */
export const MAX_LIVE_SHARE_LINKS = 10;

/**
 * `POST /api/sessions/:id/share`: the session's customer makes a read-only link to its submitted
 * report, valid for 7 days. The URL is answered once; only the token's hash is kept.
 */
export async function createShareLink(
  ctx: Ctx,
  viewer: Actor,
  sessionId: string,
): Promise<{ link: ShareLinkRow; url: string }> {
  const { session } = await loadVisibleSession(ctx, viewer, sessionId);
  if (relationTo(session, viewer) !== 'customer') {
    throw new AppError('FORBIDDEN', 'Only the session’s customer can share its report');
  }
  const report = await findReport(ctx.db, sessionId);
  if (report?.status !== 'submitted') {
    throw new AppError('INVALID_TRANSITION', 'There is no report to share yet: the mechanic has not submitted it');
  }
  const now = ctx.clock.now();
  // Counted, then inserted: two racing requests may make an eleventh link, which is harmless.
  if ((await countLiveShareLinks(ctx.db, sessionId, now)) >= MAX_LIVE_SHARE_LINKS) {
    throw new AppError(
      'INVALID_TRANSITION',
      `This report already has ${MAX_LIVE_SHARE_LINKS} working links: revoke one before making another`,
    );
  }
  const token = newShareToken();
  const link = await insertShareLink(ctx.db, {
    sessionId,
    tokenHash: hashShareToken(token),
    createdBy: viewer.id,
    expiresAt: new Date(now.getTime() + SHARE_LINK_DAYS * 86_400_000),
    createdAt: now,
  });
  return { link, url: `${ctx.notifications.publicUrl}/r/${token}` };
}
