import type {} from '@fastify/multipart';
import { IdParams, MessagesQuery, SendMessageBody } from '../../shared/api.js';
import { AppError } from '../errors.js';
import {
  MAX_UPLOAD_BYTES,
  readAttachment,
  toAttachmentDto,
  uploadAttachment,
} from '../attachments/attachments.service.js';
import type { App, RouteDeps } from '../platform/routing.js';
import { loadVisibleSession } from '../sessions/session-access.js';
import { listMessages, toMessageDto } from './message.repository.js';
import { sendMessage } from './send-message.js';

const tags = ['chat'];

export function messageRoutes(app: App, { ctx, auth, uploadsDir }: RouteDeps): void {
  app.get(
    '/api/sessions/:id/messages',
    { schema: { tags, summary: 'Chat history', params: IdParams, querystring: MessagesQuery } },
    async (request) => {
      const actor = await auth.requireActor(request);
      await loadVisibleSession(ctx, actor, request.params.id);
      const rows = await listMessages(ctx.db, request.params.id, request.query.after, request.query.limit);
      return { items: rows.map(toMessageDto) };
    },
  );

  app.post(
    '/api/sessions/:id/messages',
    { schema: { tags, summary: 'Send a chat message', params: IdParams, body: SendMessageBody } },
    async (request, reply) => {
      const actor = await auth.requireActor(request);
      const { message, created } = await sendMessage(ctx, actor, request.params.id, request.body);
      return reply.status(created ? 201 : 200).send(toMessageDto(message));
    },
  );

  app.post(
    '/api/sessions/:id/attachments',
    { schema: { tags, summary: 'Upload a photo or PDF (multipart, one file, ≤ 10 MiB)', params: IdParams } },
    async (request, reply) => {
      const actor = await auth.requireActor(request);
      if (!request.isMultipart()) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
      }
      const file = await request.file({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6 } });
      if (!file) throw new AppError('VALIDATION_FAILED', 'Attach one file in the form field "file"');
      const bytes = await file.toBuffer();
      if (file.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', 'Files are limited to 10 MiB');
      const row = await uploadAttachment(ctx, uploadsDir, actor, request.params.id, { filename: file.filename, bytes });
      return reply.status(201).send(toAttachmentDto(row));
    },
  );

  app.get(
    '/api/attachments/:id',
    { schema: { tags, summary: 'Download an attachment', params: IdParams } },
    async (request, reply) => {
      const actor = await auth.requireActor(request);
      const { row, bytes } = await readAttachment(ctx, uploadsDir, actor, request.params.id);
      const disposition = row.contentType === 'application/pdf' ? 'attachment' : 'inline';
      return reply
        .type(row.contentType)
        .header('content-disposition', `${disposition}; filename="${row.filename}"`)
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, max-age=3600')
        .send(bytes);
    },
  );
}
