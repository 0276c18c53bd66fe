import type {} from '@fastify/multipart';
import { IdParams } from '../../shared/api.js';
import { AppError } from '../errors.js';
import type { App, RouteDeps } from '../platform/routing.js';
import { toAttachmentDto } from './attachment.dto.js';
import { readAttachment } from './read-attachment.js';
import { admitUpload, createUploadGate, UPLOAD_LIMITS, uploadAttachment } from './upload-attachment.js';

const tags = ['chat'];

export function attachmentRoutes(app: App, { ctx, auth, uploadsDir }: RouteDeps): void {
  const gate = createUploadGate();

  app.post(
    '/api/sessions/:id/attachments',
    { schema: { tags, summary: 'Upload a photo or PDF (multipart, one file, ≤ 10 MiB)', params: IdParams } },
    async (request, reply) => {
      const actor = await auth.requireActor(request);
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
      const release = await admitUpload(ctx, gate, actor, request.params.id);
      try {
        const file = await request.file({
          limits: { fileSize: UPLOAD_LIMITS.fileBytes, files: 1, fields: 5, parts: 6 },
        });
        if (!file) throw new AppError('VALIDATION_FAILED', 'Attach one file in the form field "file"');
        const row = await uploadAttachment(ctx, uploadsDir, actor, request.params.id, {
          filename: file.filename,
          stream: file.file,
          truncated: () => file.file.truncated,
        });
        return reply.status(201).send(toAttachmentDto(row));
      } finally {
        release();
      }
    },
  );

  app.get(
    '/api/attachments/:id',
    { schema: { tags, summary: 'Download an attachment', params: IdParams } },
    async (request, reply) => {
      const actor = await auth.requireActor(request);
      const { row, stream } = await readAttachment(ctx, uploadsDir, actor, request.params.id);
      const disposition = row.contentType === 'application/pdf' ? 'attachment' : 'inline';
      return reply
        .type(row.contentType)
        .header('content-length', row.sizeBytes)
        .header('content-disposition', `${disposition}; filename="${row.filename}"`)
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, max-age=3600')
        .send(stream);
    },
  );
}
