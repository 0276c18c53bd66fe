import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { loadVisibleSession } from '../sessions/session-access.js';
import { findAttachment } from './attachment.repository.js';
import { isStored, openStored } from './storage.js';

/** A file of a session its participants and admins may see; anyone else gets NOT_FOUND. */
export async function readAttachment(ctx: Ctx, uploadsDir: string, viewer: Actor, id: string) {
  const row = await findAttachment(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND', 'No such attachment');
  await loadVisibleSession(ctx, viewer, row.sessionId);
  if (!(await isStored(uploadsDir, row.storageKey)))
    throw new AppError('NOT_FOUND', 'The file is missing from storage');
  return { row, stream: openStored(uploadsDir, row.storageKey) };
}
