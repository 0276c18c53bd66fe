import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { loadVisibleSession } from '../sessions/session-access.js';
import { findAttachment } from './attachment.repository.js';
import { loadIntakeViewableSession } from './intake-access.js';
import { isStored, openStored } from './storage.js';

/**
 * A file of a session its participants and admins may see — and a photo from the request, the
 * mechanics it is offered to while it waits. Anyone else gets NOT_FOUND.
 */
export async function readAttachment(ctx: Ctx, uploadsDir: string, viewer: Actor, id: string) {
  const row = await findAttachment(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND', 'No such attachment');
  if (row.purpose === 'intake') await loadIntakeViewableSession(ctx, viewer, row.sessionId);
  else await loadVisibleSession(ctx, viewer, row.sessionId);
  if (!(await isStored(uploadsDir, row.storageKey)))
    throw new AppError('NOT_FOUND', 'The file is missing from storage');
  return { row, stream: openStored(uploadsDir, row.storageKey) };
}
