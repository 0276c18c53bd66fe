/*
 * Photo rules both sides state: the server enforces them, the web app says them before sending so
 * that a customer on a phone learns of a too-large photo without uploading it first. Types are
 * sniffed from the bytes on the server (attachments/sniff.ts); the browser's claim is only a hint.
 */

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

const MIB = 1024 * 1024;

/** The photos a customer adds to a request before a mechanic accepts it (decision 014). */
export const INTAKE_PHOTO_LIMITS = { files: 6, fileBytes: 10 * MIB } as const;

/** A mechanic's profile photo: one, small — it is shown as a 48–96 px avatar. */
export const PROFILE_PHOTO_LIMITS = { fileBytes: 5 * MIB } as const;

/** What an attachment is for: `intake` — added by the customer while the request waited; `chat` — the rest. */
export const ATTACHMENT_PURPOSES = ['intake', 'chat'] as const;
export type AttachmentPurpose = (typeof ATTACHMENT_PURPOSES)[number];

export const PHOTO_MESSAGES = {
  type: 'Photos must be JPEG, PNG or WebP images.',
  intakeTooMany: `A request holds at most ${INTAKE_PHOTO_LIMITS.files} photos.`,
  intakeTooLarge: `Each photo must be at most ${INTAKE_PHOTO_LIMITS.fileBytes / MIB} MB.`,
  profileTooLarge: `Your photo must be at most ${PROFILE_PHOTO_LIMITS.fileBytes / MIB} MB.`,
  empty: 'That file is empty.',
} as const;

type FileLike = { name: string; size: number; type: string };

/**
 * The first thing wrong with photos about to join a request that already holds `already`, in
 * words for the customer, naming the file; null when they may be sent.
 */
export function intakePhotosProblem(files: readonly FileLike[], already = 0): string | null {
  const room = INTAKE_PHOTO_LIMITS.files - already;
  if (files.length > room) {
    return room <= 0 ? PHOTO_MESSAGES.intakeTooMany : `${PHOTO_MESSAGES.intakeTooMany} Choose at most ${room} more.`;
  }
  for (const file of files) {
    const problem = photoProblem(file, INTAKE_PHOTO_LIMITS.fileBytes, PHOTO_MESSAGES.intakeTooLarge);
    if (problem) return problem;
  }
  return null;
}

/** The first thing wrong with one photo (empty, too large, not an image), naming it; null when fine. */
export function photoProblem(file: FileLike, maxBytes: number, tooLarge: string): string | null {
  if (file.size === 0) return `“${file.name}”: ${PHOTO_MESSAGES.empty}`;
  if (file.size > maxBytes) return `“${file.name}” is too large. ${tooLarge}`;
  // An empty type is a browser that could not tell: the server's sniffing decides.
  if (file.type && !(PHOTO_TYPES as readonly string[]).includes(file.type))
    return `“${file.name}” is not a photo we can use. ${PHOTO_MESSAGES.type}`;
  return null;
}
