import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';
import type { Authenticator } from '../auth/routes.js';
import type { Config } from '../config.js';
import type { Ctx } from '../context.js';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What every route module receives. */
export type RouteDeps = {
  ctx: Ctx;
  auth: Authenticator;
  config: Config;
  uploadsDir: string;
};

/** Opaque keyset cursor over (requested_at, id). */
export function encodeCursor(requestedAt: Date, id: string): string {
  return Buffer.from(`${requestedAt.toISOString()}|${id}`).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The cursor a previous page handed out; anything else is the client's mistake, said as such. */
export function decodeCursor(cursor: string | undefined): { requestedAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const requestedAt = new Date(at ?? '');
  if (extra !== undefined || !id || Number.isNaN(requestedAt.getTime()) || !UUID.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'The cursor is not one this server handed out', {
      errors: [{ path: 'query.cursor', message: 'is not a valid cursor: pass nextCursor from the previous page' }],
    });
  }
  return { requestedAt, id };
}
