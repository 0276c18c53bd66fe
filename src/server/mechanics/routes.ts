import type {} from '@fastify/multipart';
import { profiles } from '../../shared/contract/index.js';
import { PROFILE_PHOTO_LIMITS } from '../../shared/photos.js';
import { AppError } from '../errors.js';
import { route, type App, type RouteDeps } from '../platform/routing.js';
import { getMechanicProfile, getOwnProfile, type ProfileView } from './get-mechanic-profile.js';
import { toMechanicProfileDto } from './mechanic.dto.js';
import { admitPhoto, readMechanicPhoto, removeMechanicPhoto, setMechanicPhoto } from './set-mechanic-photo.js';
import { updateMechanicProfile } from './update-mechanic-profile.js';

const dto = ({ found, reviews }: ProfileView) => toMechanicProfileDto(found, reviews);

/** Mechanics' profiles: read by whoever may meet them, edited by the mechanic. */
export function mechanicProfileRoutes(app: App, { ctx, auth, uploadsDir }: RouteDeps): void {
  route(app, profiles.get, async (request) => {
    const actor = await auth.requireActor(request);
    return dto(await getMechanicProfile(ctx, actor, request.params.userId));
  });

  route(app, profiles.photo, async (request, reply) => {
    const actor = await auth.requireActor(request);
    const photo = await readMechanicPhoto(ctx, uploadsDir, actor, request.params.userId);
    return reply
      .code(200)
      .type(photo.contentType)
      .header('content-length', photo.size)
      .header('content-disposition', 'inline')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('etag', `"${photo.sha256}"`)
      .header('cache-control', 'private, max-age=86400')
      .send(photo.stream);
  });

  route(app, profiles.mine, async (request) => {
    const actor = await auth.requireActor(request);
    return dto(await getOwnProfile(ctx, actor));
  });

  route(app, profiles.update, async (request) => {
    const actor = await auth.requireActor(request);
    return dto(await updateMechanicProfile(ctx, actor, request.body));
  });

  route(app, profiles.uploadPhoto, async (request) => {
    const actor = await auth.requireActor(request);
    if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the photo as multipart/form-data');
    await admitPhoto(ctx, actor);
    const file = await request.file({
      limits: { fileSize: PROFILE_PHOTO_LIMITS.fileBytes, files: 1, fields: 5, parts: 6 },
    });
    if (!file) throw new AppError('VALIDATION_FAILED', 'Attach one photo in the form field "file"');
    return dto(
      await setMechanicPhoto(ctx, uploadsDir, actor, {
        filename: file.filename,
        stream: file.file,
        truncated: () => file.file.truncated,
      }),
    );
  });

  route(app, profiles.removePhoto, async (request) => {
    const actor = await auth.requireActor(request);
    return dto(await removeMechanicPhoto(ctx, actor));
  });
}
