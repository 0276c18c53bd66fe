import type { Readable } from 'node:stream';
import { INTAKE_PHOTO_LIMITS, PHOTO_MESSAGES, type AttachmentPurpose } from '../../shared/photos.js';
import type { Actor } from '../auth/auth.js';
import { consumeRateLimit } from '../auth/auth.repository.js';
import type { Ctx } from '../context.js';
import type { AttachmentRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { isTerminal } from '../sessions/machine.js';
import { actingParticipant } from '../sessions/session-access.js';
import { findSession } from '../sessions/session.repository.js';
import { touchParticipant } from '../sessions/participant.repository.js';
import { insertWithinQuota, sessionUsage } from './attachment.repository.js';
import { safeFilename, sniffContentType } from './sniff.js';
import { discard, isStored, keep, receive, storagePath } from './storage.js';

/**
 * What one account and one session may upload. Photos of a car are a few MiB each; these bound
 * what one customer can make the server write (20 concurrent 10 MiB uploads used to be accepted
 * whole, in memory).
 */
export const UPLOAD_LIMITS = {
  fileBytes: 10 * 1024 * 1024,
  sessionFiles: 40,
  sessionBytes: 100 * 1024 * 1024,
  /** At once, per account, in one process. */
  concurrentPerUser: 2,
  /** Per account, across processes. */
  perWindow: 30,
  windowSeconds: 600,
};

/** Uploads in progress per account in this process. */
export function createUploadGate(limit = UPLOAD_LIMITS.concurrentPerUser) {
  const running = new Map<string, number>();
  return {
    /** A release function, or RATE_LIMITED when this account already uploads `limit` files. */
    enter(userId: string): () => void {
      const count = running.get(userId) ?? 0;
      if (count >= limit) {
        throw new AppError('RATE_LIMITED', `Upload at most ${limit} files at a time; wait for the others to finish`);
      }
      running.set(userId, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (running.get(userId) ?? 1) - 1;
        if (left > 0) running.set(userId, left);
        else running.delete(userId);
      };
    },
  };
}

export type UploadGate = ReturnType<typeof createUploadGate>;

/**
 * Checks everything that does not need the file — who, which session, the quotas — before a byte
 * of the body is read, so a refused upload costs nothing. Returns the gate's release function.
 */
export async function admitUpload(
  ctx: Ctx,
  gate: UploadGate,
  viewer: Actor,
  sessionId: string,
): Promise<{ release: () => void; purpose: AttachmentPurpose }> {
  const session = await findSession(ctx.db, sessionId);
  if (!session) throw new AppError('NOT_FOUND', 'No such session');
  const actor = await actingParticipant(ctx.db, session, viewer);
  if (isTerminal(session.status)) throw new AppError('SESSION_CLOSED', 'The session has ended');
  // What the customer adds while the request waits is part of the request: the mechanics it is
  // offered to see it, and it stays above the chat once one accepts (decision 014).
  const purpose: AttachmentPurpose = actor.kind === 'customer' && session.status === 'pending' ? 'intake' : 'chat';
  const usage = await sessionUsage(ctx.db, sessionId);
  if (usage.files >= UPLOAD_LIMITS.sessionFiles || usage.bytes >= UPLOAD_LIMITS.sessionBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', 'This session has reached its limit of files');
  }
  if (purpose === 'intake' && usage.intakeFiles >= INTAKE_PHOTO_LIMITS.files) {
    throw new AppError('PAYLOAD_TOO_LARGE', PHOTO_MESSAGES.intakeTooMany);
  }
  const release = gate.enter(viewer.id);
  try {
    const decision = await consumeRateLimit(
      ctx.db,
      `upload:${viewer.id}`,
      UPLOAD_LIMITS.windowSeconds,
      UPLOAD_LIMITS.perWindow,
      ctx.clock.now(),
    );
    if (!decision.allowed) {
      throw new AppError('RATE_LIMITED', `Too many uploads: try again in ${decision.retryAfter} seconds`, {
        extra: { retryAfterSeconds: decision.retryAfter },
      });
    }
  } catch (error) {
    release();
    throw error;
  }
  return { release, purpose };
}

export type IncomingFile = { filename: string | undefined; stream: Readable; truncated: () => boolean };

/** Streams the file to disk, checks what it is, and records it — within the session's quota. */
export async function uploadAttachment(
  ctx: Ctx,
  uploadsDir: string,
  viewer: Actor,
  sessionId: string,
  file: IncomingFile,
  purpose: AttachmentPurpose = 'chat',
): Promise<AttachmentRow> {
  const received = await receive(uploadsDir, file.stream);
  let kept = false;
  try {
    if (file.truncated()) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        purpose === 'intake' ? PHOTO_MESSAGES.intakeTooLarge : 'Files are limited to 10 MiB',
      );
    }
    if (received.size === 0) throw new AppError('VALIDATION_FAILED', 'The file is empty');
    const contentType = sniffContentType(received.head);
    if (purpose === 'intake' && contentType === 'application/pdf') {
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        `${PHOTO_MESSAGES.type} Share a PDF in the chat once a mechanic joins.`,
      );
    }
    if (!contentType) {
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        purpose === 'intake' ? PHOTO_MESSAGES.type : 'Upload a JPEG, PNG or WebP photo, or a PDF',
      );
    }
    const existed = await isStored(uploadsDir, storagePath(uploadsDir, received.sha256));
    const storageKey = await keep(uploadsDir, received);
    kept = true;
    const now = ctx.clock.now();
    const row = await insertWithinQuota(
      ctx.db,
      {
        sessionId,
        uploaderId: viewer.id,
        filename: safeFilename(file.filename, contentType),
        contentType,
        sizeBytes: received.size,
        sha256: received.sha256,
        storageKey,
        purpose,
        createdAt: now,
      },
      { files: UPLOAD_LIMITS.sessionFiles, bytes: UPLOAD_LIMITS.sessionBytes, intakeFiles: INTAKE_PHOTO_LIMITS.files },
    );
    if (!row) {
      if (!existed) await discard(storagePath(uploadsDir, received.sha256));
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        purpose === 'intake' ? PHOTO_MESSAGES.intakeTooMany : 'This session has reached its limit of files',
      );
    }
    await touchParticipant(ctx.db, sessionId, viewer.id, now);
    return row;
  } finally {
    if (!kept) await discard(received.temporary);
  }
}
