import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  Problem,
  type BodyOf,
  type Endpoint,
  type ParamsOf,
  type QueryOf,
  type ResponseIn,
} from '../../shared/contract/define.js';
import type { Authenticator } from '../auth/routes.js';
import type { Config } from '../config.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';

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

/** A request as the endpoint describes it, validated. */
export type RouteRequest<E extends Endpoint> = Omit<FastifyRequest, 'params' | 'query' | 'body'> & {
  params: ParamsOf<E>;
  query: QueryOf<E>;
  body: BodyOf<E>;
};

export type RouteHandler<E extends Endpoint> = (
  request: RouteRequest<E>,
  reply: FastifyReply,
) => Promise<ResponseIn<E> | FastifyReply>;

/**
 * Registers the route an endpoint of the contract describes: its parameters, query and body are
 * validated by the endpoint's schemas, and its answer is serialised through the endpoint's
 * response schema — a handler that answers something else fails (a 500 in tests, not a silent
 * drift). The first status the endpoint lists is the default (201 for creations).
 */
export function route<E extends Endpoint>(app: App, endpoint: E, handler: RouteHandler<E>): void {
  const statuses = Object.keys(endpoint.responses).map(Number);
  const status = statuses[0] ?? 200;
  app.route({
    method: endpoint.method,
    url: endpoint.path,
    schema: {
      summary: endpoint.summary,
      tags: [...endpoint.tags],
      ...(endpoint.params ? { params: endpoint.params } : {}),
      ...(endpoint.query ? { querystring: endpoint.query } : {}),
      ...(endpoint.body && !endpoint.multipart ? { body: endpoint.body } : {}),
      ...(endpoint.produces ? {} : { response: { ...endpoint.responses, '4xx': Problem, '5xx': Problem } }),
    },
    handler: async (request, reply) => {
      reply.code(status);
      return handler(request as unknown as RouteRequest<E>, reply);
    },
  });
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** The request's `Idempotency-Key` header, if any, or a field error when it is malformed. */
export function idempotencyKeyOf(request: {
  headers: Record<string, string | string[] | undefined>;
}): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 1–200 printable ASCII characters', {
      errors: [{ path: 'headers.idempotency-key', message: 'is malformed' }],
    });
  }
  return key;
}

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
