import type { MessageRow } from '../db/schema.js';

/** The `Message` object of the contract. */
export function toMessageDto(row: MessageRow) {
  return {
    id: row.id,
    sessionId: row.sessionId,
    seq: row.seq,
    senderId: row.senderId,
    body: row.body,
    attachmentIds: row.attachmentIds,
    clientId: row.clientId,
    createdAt: row.createdAt.toISOString(),
  };
}
