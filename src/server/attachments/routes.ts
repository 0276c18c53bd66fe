import type {} from '@fastify/multipart';
import { chat } from '../../shared/contract/index.js';
import { AppError } from '../errors.js';
import { route, type App, type RouteDeps } from '../platform/routing.js';
import { toAttachmentDto } from './attachment.dto.js';
import { listIntakePhotos } from './list-intake-photos.js';
import { readAttachment } from './read-attachment.js';
import { admitUpload, createUploadGate, UPLOAD_LIMITS, uploadAttachment } from './upload-attachment.js';

export function attachmentRoutes(app: App, { ctx, auth, uploadsDir }: RouteDeps): void {
  const gate = createUploadGate();

  route(app, chat.upload, async (request) => {
    const actor = await auth.requireActor(request);
    if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
    // Everything that does not need the file is checked before a byte of it is read.
    const { release, purpose } = await admitUpload(ctx, gate, actor, request.params.id);
    try {
      const file = await request.file({ limits: { fileSize: UPLOAD_LIMITS.fileBytes, files: 1, fields: 5, parts: 6 } });
      if (!file) throw new AppError('VALIDATION_FAILED', 'Attach one file in the form field "file"');
      const row = await uploadAttachment(
        ctx,
        uploadsDir,
        actor,
        request.params.id,
        {
          filename: file.filename,
          stream: file.file,
          truncated: () => file.file.truncated,
        },
        purpose,
      );
      return toAttachmentDto(row);
    } finally {
      release();
    }
  });

  route(app, chat.intakePhotos, async (request) => {
    const actor = await auth.requireActor(request);
    return { items: (await listIntakePhotos(ctx, actor, request.params.id)).map(toAttachmentDto) };
  });

  route(app, chat.download, async (request, reply) => {
    const actor = await auth.requireActor(request);
    const { row, stream } = await readAttachment(ctx, uploadsDir, actor, request.params.id);
    const disposition = row.contentType === 'application/pdf' ? 'attachment' : 'inline';
    return reply
      .code(200)
      .type(row.contentType)
      .header('content-length', row.sizeBytes)
      .header('content-disposition', `${disposition}; filename="${row.filename}"`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, max-age=3600')
      .send(stream);
  });
}
