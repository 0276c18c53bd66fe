import { and, asc, eq, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../db/client.js';
import { attachments, type AttachmentRow } from '../db/schema.js';

/** The only module with SQL about attachments. */

export type NewAttachment = Omit<AttachmentRow, 'id'>;

/**
 * Inserts the attachment only while the session stays within its quota (files and bytes), in one
 * statement, so that concurrent uploads cannot together pass a limit each checked alone.
 * Returns undefined when the quota would be exceeded.
 */
export async function insertWithinQuota(
  ex: Executor,
  row: NewAttachment,
  quota: { files: number; bytes: number; intakeFiles: number },
): Promise<AttachmentRow | undefined> {
  const [inserted] = await queryRows<{ id: string }>(
    ex,
    sql`INSERT INTO ${attachments} (session_id, uploader_id, filename, content_type, size_bytes, sha256, storage_key, purpose, created_at)
      SELECT ${row.sessionId}::uuid, ${row.uploaderId}::uuid, ${row.filename}, ${row.contentType}, ${row.sizeBytes},
             ${row.sha256}, ${row.storageKey}, ${row.purpose}, ${row.createdAt.toISOString()}::timestamptz
      WHERE (SELECT count(*) < ${quota.files} AND coalesce(sum(size_bytes), 0) + ${row.sizeBytes} <= ${quota.bytes}
               AND (${row.purpose} <> 'intake' OR count(*) FILTER (WHERE purpose = 'intake') < ${quota.intakeFiles})
             FROM ${attachments} WHERE session_id = ${row.sessionId}::uuid)
      RETURNING id`,
  );
  return inserted ? findAttachment(ex, inserted.id) : undefined;
}

export async function findAttachment(ex: Executor, id: string): Promise<AttachmentRow | undefined> {
  const [row] = await ex.select().from(attachments).where(eq(attachments.id, id));
  return row;
}

/** What a session holds already: files and bytes, and how many of the files are photos from the request. */
export async function sessionUsage(
  ex: Executor,
  sessionId: string,
): Promise<{ files: number; bytes: number; intakeFiles: number }> {
  const [row] = await ex
    .select({
      files: sql<number>`count(*)::int`,
      bytes: sql<number>`coalesce(sum(${attachments.sizeBytes}), 0)::bigint`,
      intakeFiles: sql<number>`(count(*) FILTER (WHERE ${attachments.purpose} = 'intake'))::int`,
    })
    .from(attachments)
    .where(eq(attachments.sessionId, sessionId));
  return { files: Number(row?.files ?? 0), bytes: Number(row?.bytes ?? 0), intakeFiles: Number(row?.intakeFiles ?? 0) };
}

/** The photos the customer added to the request, in the order they were added. */
export async function listIntakePhotos(ex: Executor, sessionId: string): Promise<AttachmentRow[]> {
  return ex
    .select()
    .from(attachments)
    .where(and(eq(attachments.sessionId, sessionId), eq(attachments.purpose, 'intake')))
    .orderBy(asc(attachments.createdAt), asc(attachments.id));
}

export async function listSessionAttachments(ex: Executor, sessionId: string): Promise<AttachmentRow[]> {
  return ex.select().from(attachments).where(eq(attachments.sessionId, sessionId)).orderBy(attachments.createdAt);
}

export async function countOwnAttachments(ex: Executor, sessionId: string, uploaderId: string, ids: string[]) {
  if (ids.length === 0) return 0;
  const rows = await ex
    .select({ id: attachments.id })
    .from(attachments)
    .where(
      and(
        eq(attachments.sessionId, sessionId),
        eq(attachments.uploaderId, uploaderId),
        sql`${attachments.id} = ANY(${`{${ids.join(',')}}`}::uuid[])`,
      ),
    );
  return rows.length;
}
