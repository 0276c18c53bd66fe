import { chat, type Attachment } from '../../../shared/contract';
import { ApiError, call } from '../../lib/api';

/** How sending the request's photos went: what arrived, and the first refusal in the server's words. */
export type PhotoUploadResult = { uploaded: Attachment[]; failed: number; problem: string | null };

/**
 * Uploads photos to a request, one after another (so they arrive in the order chosen, and one
 * account's two-at-a-time upload limit is never hit). A refused photo does not stop the others:
 * the request is already made, and the waiting page offers to add what did not arrive.
 * A module without React, so that the intake form does not bring the room with it.
 */
export async function uploadIntakePhotos(
  sessionId: string,
  files: readonly File[],
  onProgress?: (done: number, total: number) => void,
): Promise<PhotoUploadResult> {
  const uploaded: Attachment[] = [];
  let problem: string | null = null;
  for (const [index, file] of files.entries()) {
    onProgress?.(index, files.length);
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      uploaded.push(await call(chat.upload, { params: { id: sessionId }, body: form }));
    } catch (caught) {
      problem ??= `“${file.name}” was not added: ${caught instanceof ApiError ? caught.message : 'the upload failed.'}`;
    }
  }
  onProgress?.(files.length, files.length);
  return { uploaded, failed: files.length - uploaded.length, problem };
}

/** Said on the waiting page after the intake, when some photos did not arrive (kept per tab). */
export const failedPhotosKey = (sessionId: string) => `intake-photos-failed:${sessionId}`;
