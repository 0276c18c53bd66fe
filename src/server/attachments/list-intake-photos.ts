import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { AttachmentRow } from '../db/schema.js';
import { listIntakePhotos as listRows } from './attachment.repository.js';
import { loadIntakeViewableSession } from './intake-access.js';

/** The photos the customer added to the request, for whoever may see the request. */
export async function listIntakePhotos(ctx: Ctx, viewer: Actor, sessionId: string): Promise<AttachmentRow[]> {
  await loadIntakeViewableSession(ctx, viewer, sessionId);
  return listRows(ctx.db, sessionId);
}
