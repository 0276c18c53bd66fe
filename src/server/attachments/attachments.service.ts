import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Actor as AuthActor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { attachments, type AttachmentRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { isTerminal } from '../sessions/machine.js';
import { loadVisibleSession, participantActor } from '../sessions/session-access.js';
import { findSession, touchParticipant } from '../sessions/session.repository.js';
import { safeFilename, sniffContentType } from './sniff.js';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export function toAttachmentDto(row: AttachmentRow) {
  return {
    id: row.id,
    sessionId: row.sessionId,
    uploaderId: row.uploaderId,
    filename: row.filename,
    contentType: row.contentType,
    size: row.sizeBytes,
    sha256: row.sha256,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Files are stored once per content, under their hash: `uploads/ab/abcdef…`. */
function storagePath(uploadsDir: string, sha256: string): string {
  return path.join(uploadsDir, sha256.slice(0, 2), sha256);
}

export async function uploadAttachment(
  ctx: Ctx,
  uploadsDir: string,
  viewer: AuthActor,
  sessionId: string,
  file: { filename: string | undefined; bytes: Buffer },
): Promise<AttachmentRow> {
  const session = await findSession(ctx.db, sessionId);
  if (!session) throw new AppError('NOT_FOUND', 'No such session');
  participantActor(session, viewer);
  if (isTerminal(session.status)) throw new AppError('SESSION_CLOSED', 'The session has ended');
  if (file.bytes.length === 0) throw new AppError('VALIDATION_FAILED', 'The file is empty');
  const contentType = sniffContentType(file.bytes);
  if (!contentType) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Upload a JPEG, PNG or WebP photo, or a PDF');
  }
  const sha256 = crypto.createHash('sha256').update(file.bytes).digest('hex');
  const target = storagePath(uploadsDir, sha256);
  await fs.mkdir(path.dirname(target), { recursive: true });
  // Write then rename: a crash never leaves a half-written file under the final name.
  const temporary = `${target}.${process.pid}.${crypto.randomUUID()}.tmp`;
  await fs.writeFile(temporary, file.bytes, { flag: 'wx' });
  await fs.rename(temporary, target);
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .insert(attachments)
    .values({
      sessionId,
      uploaderId: viewer.id,
      filename: safeFilename(file.filename, contentType),
      contentType,
      sizeBytes: file.bytes.length,
      sha256,
      storageKey: path.relative(uploadsDir, target),
      createdAt: now,
    })
    .returning();
  await touchParticipant(ctx.db, sessionId, viewer.id, now);
  return row!;
}

export async function readAttachment(ctx: Ctx, uploadsDir: string, viewer: AuthActor, id: string) {
  const [row] = await ctx.db.select().from(attachments).where(eq(attachments.id, id));
  if (!row) throw new AppError('NOT_FOUND', 'No such attachment');
  await loadVisibleSession(ctx, viewer, row.sessionId); // NOT_FOUND unless participant or admin
  const bytes = await fs.readFile(path.join(uploadsDir, row.storageKey)).catch(() => {
    throw new AppError('NOT_FOUND', 'The file is missing from storage');
  });
  return { row, bytes };
}
