import type { AttachmentRow } from '../db/schema.js';

export function toAttachmentDto(row: AttachmentRow) {
  return {
    id: row.id,
    sessionId: row.sessionId,
    uploaderId: row.uploaderId,
    filename: row.filename,
    contentType: row.contentType,
    size: row.sizeBytes,
    sha256: row.sha256,
    purpose: row.purpose,
    createdAt: row.createdAt.toISOString(),
  };
}
