import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fromNodeHeaders } from 'better-auth/node';
import { AppError } from '../errors.js';
import type { Role } from '../db/schema.js';
import { CLIENT_IP_HEADER, type Actor, type Auth } from './auth.js';
import { credentialKey, type SessionCache } from './session-cache.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Resolved lazily by `currentActor`; undefined until then, null when anonymous. */
    actorCache?: Actor | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Mounts the auth library's own routes at /api/auth/* (they answer in its own error format). */
export function registerAuthRoutes(
  app: FastifyInstance,
  auth: Auth,
  onSignOut: (request: FastifyRequest) => Promise<void>,
): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    // The auth library reads the raw body itself.
    config: { rawAuthRoute: true },
    async handler(request, reply) {
      const url = new URL(request.url, 'http://internal');
      if (url.pathname.endsWith('/sign-out')) await onSignOut(request);
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const headers = fromNodeHeaders(request.headers);
      // The rate limiter keys on the client address; only the server may state it.
      headers.set(CLIENT_IP_HEADER, request.ip);
      const response = await auth.handler(
        new Request(new URL(url.pathname + url.search, auth.options.baseURL as string), {
          method: request.method,
          headers,
          ...(body && request.method !== 'GET' ? { body } : {}),
        }),
      );
      reply.status(response.status);
      response.headers.forEach((value, key) => {
        if (key !== 'set-cookie') reply.header(key, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) reply.header('set-cookie', cookies);
      return reply.send(response.body ? Buffer.from(await response.arrayBuffer()) : null);
    },
  });
}

export type Authenticator = {
  /** The signed-in actor, or null. Never trusts the body or the query. */
  currentActor: (request: FastifyRequest) => Promise<Actor | null>;
  /** The signed-in actor, or UNAUTHENTICATED; FORBIDDEN unless the role is one of `roles`. */
  requireActor: (request: FastifyRequest, ...roles: Role[]) => Promise<Actor>;
  actorFromHeaders: (headers: Record<string, string | string[] | undefined>) => Promise<Actor | null>;
  /** FORBIDDEN for a cookie-authenticated request from a foreign page (CSRF, cross-site WebSocket). */
  assertTrustedOrigin: (request: FastifyRequest) => void;
};

export function createAuthenticator(
  auth: Auth,
  trustedOrigins: string[],
  cache: SessionCache,
  clock: () => number = Date.now,
): Authenticator {
  const actorFromHeaders: Authenticator['actorFromHeaders'] = async (headers) => {
    const key = credentialKey(headers);
    if (!key) return null;
    const cached = cache.get(key, clock());
    if (cached) return cached;
    const result = await auth.api.getSession({ headers: fromNodeHeaders(headers) });
    if (!result) return null;
    const user = result.user as typeof result.user & { role?: Role; banned?: boolean };
    if (user.banned) return null;
    const actor: Actor = { id: user.id, email: user.email, name: user.name, role: user.role ?? 'customer' };
    cache.set(key, actor, clock(), new Date(result.session.expiresAt).getTime());
    return actor;
  };

  const currentActor: Authenticator['currentActor'] = async (request) => {
    if (request.actorCache === undefined) request.actorCache = await actorFromHeaders(request.headers);
    return request.actorCache;
  };

  const assertTrustedOrigin: Authenticator['assertTrustedOrigin'] = (request) => {
    if (request.headers.authorization) return; // bearer clients are not browsers riding a cookie
    const origin = request.headers.origin;
    if (origin && !trustedOrigins.includes(origin)) throw new AppError('FORBIDDEN', 'Untrusted origin');
    if (!origin && request.headers['sec-fetch-site'] === 'cross-site') {
      throw new AppError('FORBIDDEN', 'Cross-site request refused');
    }
  };

  const requireActor: Authenticator['requireActor'] = async (request, ...roles) => {
    const actor = await currentActor(request);
    if (!actor) throw new AppError('UNAUTHENTICATED');
    // Cookie-authenticated writes must come from our own pages (CSRF defence in depth on top
    // of SameSite=Lax): the same origin check the auth library applies to its own routes.
    if (!SAFE_METHODS.has(request.method)) assertTrustedOrigin(request);
    if (roles.length > 0 && !roles.includes(actor.role)) {
      throw new AppError('FORBIDDEN', `This needs the role ${roles.join(' or ')}`);
    }
    return actor;
  };

  return { currentActor, requireActor, actorFromHeaders, assertTrustedOrigin };
}
