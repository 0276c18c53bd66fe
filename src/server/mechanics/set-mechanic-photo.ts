import { PHOTO_MESSAGES, PHOTO_TYPES, type PhotoType } from '../../shared/photos.js';
import type { IncomingFile } from '../attachments/upload-attachment.js';
import { sniffContentType } from '../attachments/sniff.js';
import { discard, isStored, keep, openStored, receive } from '../attachments/storage.js';
import type { Actor } from '../auth/auth.js';
import { consumeRateLimit } from '../auth/auth.repository.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import {
  getMechanicProfile,
  loadVisibleProfile,
  requireOwnMechanic,
  type ProfileView,
} from './get-mechanic-profile.js';
import { updateMechanic } from './mechanic.repository.js';

/*
 * The profile photo is stored like an attachment — streamed to disk under its hash, its type
 * sniffed from its bytes — and linked from the mechanic's row. A replaced photo's file stays on
 * disk: storage is by content, so the same bytes may be an attachment's too (decision 014).
 */

/** Photo changes per mechanic per hour, across processes: enough to try a few, too few to fill a disk. */
const PHOTO_CHANGES = { perWindow: 20, windowSeconds: 3600 };

const isPhotoType = (type: string | null): type is PhotoType =>
  type !== null && (PHOTO_TYPES as readonly string[]).includes(type);

/** Checked before a byte of the file is read: a mechanic, within the rate limit. */
export async function admitPhoto(ctx: Ctx, actor: Actor): Promise<void> {
  await requireOwnMechanic(ctx, actor);
  const decision = await consumeRateLimit(
    ctx.db,
    `profile-photo:${actor.id}`,
    PHOTO_CHANGES.windowSeconds,
    PHOTO_CHANGES.perWindow,
    ctx.clock.now(),
  );
  if (!decision.allowed) {
    throw new AppError('RATE_LIMITED', `Too many photo changes: try again in ${decision.retryAfter} seconds`, {
      extra: { retryAfterSeconds: decision.retryAfter },
    });
  }
}

/** Receives the photo, checks it is a JPEG, PNG or WebP image of allowed size, and makes it the profile's. */
export async function setMechanicPhoto(
  ctx: Ctx,
  uploadsDir: string,
  actor: Actor,
  file: IncomingFile,
): Promise<ProfileView> {
  const received = await receive(uploadsDir, file.stream);
  let kept = false;
  try {
    if (file.truncated()) throw new AppError('PAYLOAD_TOO_LARGE', PHOTO_MESSAGES.profileTooLarge);
    if (received.size === 0) throw new AppError('VALIDATION_FAILED', PHOTO_MESSAGES.empty);
    const contentType = sniffContentType(received.head);
    if (!isPhotoType(contentType)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', PHOTO_MESSAGES.type);
    const storageKey = await keep(uploadsDir, received);
    kept = true;
    await updateMechanic(
      ctx.db,
      actor.id,
      {
        photoStorageKey: storageKey,
        photoSha256: received.sha256,
        photoContentType: contentType,
        photoSizeBytes: received.size,
      },
      ctx.clock.now(),
    );
  } finally {
    if (!kept) await discard(received.temporary);
  }
  return getMechanicProfile(ctx, actor, actor.id);
}

/** Back to initials. */
export async function removeMechanicPhoto(ctx: Ctx, actor: Actor): Promise<ProfileView> {
  await requireOwnMechanic(ctx, actor);
  await updateMechanic(
    ctx.db,
    actor.id,
    { photoStorageKey: null, photoSha256: null, photoContentType: null, photoSizeBytes: null },
    ctx.clock.now(),
  );
  return getMechanicProfile(ctx, actor, actor.id);
}

/** The photo of a mechanic whose profile `viewer` may see; NOT_FOUND when there is none. */
export async function readMechanicPhoto(ctx: Ctx, uploadsDir: string, viewer: Actor, userId: string) {
  const { mechanic } = await loadVisibleProfile(ctx, viewer, userId);
  const { photoStorageKey: key, photoContentType: type, photoSha256: sha256, photoSizeBytes: size } = mechanic;
  if (!key || !type || !sha256 || !size || !(await isStored(uploadsDir, key))) {
    throw new AppError('NOT_FOUND', 'This mechanic has no photo');
  }
  return { contentType: type, sha256, size, stream: openStored(uploadsDir, key) };
}
