import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fromNodeHeaders } from 'better-auth/node';
import type { z } from 'zod';
import {
  ChangePasswordFields,
  ResetPasswordFields,
  SignInFields,
  SignUpFields,
  UpdateUserFields,
} from '../../shared/accounts.js';
import { AppError, toProblem } from '../errors.js';
import type { Role } from '../db/schema.js';
import {
  CLIENT_IP_HEADER,
  SESSION_EXPIRES_IN_SECONDS,
  SESSION_UPDATE_AGE_SECONDS,
  type Actor,
  type Auth,
} from './auth.js';
import type { SignInRow } from './auth.repository.js';
import { credentialHeaders, credentialOf, type Credential, type SessionCache } from './session-cache.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Resolved lazily by `currentActor`; undefined until then, null when anonymous. */
    actorCache?: Actor | null;
    /** How the resolved actor authenticated. */
    authVia?: Credential['via'];
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Our own checks of the fields the auth library would store unchecked, by its path. */
const CHECKED_BODIES: Record<string, z.ZodType> = {
  '/api/auth/sign-up/email': SignUpFields,
  '/api/auth/sign-in/email': SignInFields,
  '/api/auth/change-password': ChangePasswordFields,
  '/api/auth/reset-password': ResetPasswordFields,
  '/api/auth/update-user': UpdateUserFields,
};
/** Answers that carry the session token in their JSON body (a password change that revokes the other sessions issues a new one). */
const TOKEN_BEARING = new Set([
  '/api/auth/sign-in/email',
  '/api/auth/sign-up/email',
  '/api/auth/get-session',
  '/api/auth/change-password',
]);

/**
 * A browser's request (it sends Origin or the Sec-Fetch headers on every fetch; curl and mobile
 * apps do not). A browser holds its session in an HttpOnly cookie and must never hand the token to
 * page scripts, where an injected script could read it.
 */
const isBrowser = (request: FastifyRequest) =>
  Boolean(request.headers.origin || request.headers['sec-fetch-mode'] || request.headers['sec-fetch-site']);

function withoutToken(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const { token: _token, ...rest } = body as Record<string, unknown>;
  const session = rest.session as Record<string, unknown> | undefined;
  if (session && typeof session === 'object') {
    const { token: _sessionToken, ...safeSession } = session;
    rest.session = safeSession;
  }
  return rest;
}

/** The library's answer to a sign-up with an address that already has an account. */
const DUPLICATE_SIGN_UP = 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL';

/**
 * A sign-up with an address that already has an account answers as a new one would — 200, the
 * same body, a user that does not exist — instead of the library's 422, so that sign-up does not
 * tell a stranger which addresses have accounts. The password is hashed as for a real sign-up (so
 * the answer takes as long), and the owner is told by email (decision 014). The one difference
 * left is the session a new account gets at once (api.md: sign-up → session cookie).
 */
async function answerDuplicateSignUp(auth: Auth, body: unknown) {
  const { name, email, password } = SignUpFields.parse(body);
  const library = await auth.$context;
  await library.password.hash(password);
  const now = new Date().toISOString();
  return {
    token: null,
    user: {
      id: crypto.randomUUID(),
      email: email.toLowerCase(),
      name,
      image: null,
      emailVerified: false,
      createdAt: now,
      updatedAt: now,
      role: 'customer',
      banned: false,
    },
  };
}

export type AuthRouteHooks = {
  /** Someone signed up with this address, which already has an account. */
  onExistingSignUp?: (email: string) => Promise<void>;
};

/** Mounts the auth library's own routes at /api/auth/* (they answer in its own error format). */
export function registerAuthRoutes(app: FastifyInstance, auth: Auth, hooks: AuthRouteHooks = {}): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    // The auth library reads the raw body itself, and documents its own endpoints.
    config: { rawAuthRoute: true },
    schema: { hide: true },
    async handler(request, reply) {
      const url = new URL(request.url, 'http://internal');
      const checked = request.method === 'POST' ? CHECKED_BODIES[url.pathname] : undefined;
      if (checked) {
        const result = checked.safeParse(request.body ?? {});
        if (!result.success) {
          const error = new AppError('VALIDATION_FAILED', 'Some fields are not valid', {
            errors: result.error.issues.map((issue) => ({
              path: ['body', ...issue.path].join('.'),
              message: issue.message,
            })),
          });
          // The library's own shape ({ code, message }) and the problem document, in one.
          return reply
            .status(400)
            .type('application/problem+json')
            .send({ ...toProblem(error), message: error.message });
        }
      }
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
      const hideToken = isBrowser(request);
      if (url.pathname === '/api/auth/sign-up/email' && response.status === 422) {
        const said = (await response
          .clone()
          .json()
          .catch(() => null)) as { code?: string } | null;
        if (said?.code === DUPLICATE_SIGN_UP) {
          const answer = await answerDuplicateSignUp(auth, request.body);
          await hooks.onExistingSignUp?.(answer.user.email);
          return reply.status(200).send(hideToken ? withoutToken(answer) : answer);
        }
      }
      reply.status(response.status);
      response.headers.forEach((value, key) => {
        if (key === 'set-cookie' || key === 'content-length') return;
        if (hideToken && key === 'set-auth-token') return;
        reply.header(key, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) reply.header('set-cookie', cookies);
      if (!response.body) return reply.send(null);
      const bytes = Buffer.from(await response.arrayBuffer());
      if (hideToken && TOKEN_BEARING.has(url.pathname) && /json/.test(response.headers.get('content-type') ?? '')) {
        return reply.send(JSON.stringify(withoutToken(JSON.parse(bytes.toString('utf8')))));
      }
      return reply.send(bytes);
    },
  });
}

export type Authenticator = {
  /** The signed-in actor, or null. Never trusts the body or the query. */
  currentActor: (request: FastifyRequest) => Promise<Actor | null>;
  /** The signed-in actor, or UNAUTHENTICATED; FORBIDDEN unless the role is one of `roles`. */
  requireActor: (request: FastifyRequest, ...roles: Role[]) => Promise<Actor>;
  /** Who this credential belongs to now, asked of the auth library (no cache): sockets re-check with it. */
  actorFor: (credential: Credential) => Promise<Actor | null>;
  /** FORBIDDEN for a cookie-authenticated request from a foreign page (CSRF, cross-site WebSocket). */
  assertTrustedOrigin: (request: FastifyRequest) => void;
};

/** The session token inside a credential (a signed value is `token.signature`, maybe URL-encoded). */
function sessionTokenOf(credential: Credential): string {
  const value =
    credential.via === 'bearer' ? credential.key.slice(7) : credential.key.slice(credential.key.indexOf('=') + 1);
  let decoded = value;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    // not encoded
  }
  return decoded.split('.')[0]!;
}

export function createAuthenticator(
  auth: Auth,
  trustedOrigins: string[],
  cache: SessionCache,
  clock: () => number = Date.now,
  /** Re-checks a credential the library verified before with one statement (auth.repository.ts). */
  findSignIn?: (token: string) => Promise<SignInRow | undefined>,
): Authenticator {
  const lookUp = async (credential: Credential): Promise<{ actor: Actor; expiresAt: number } | null> => {
    const result = await auth.api.getSession({ headers: fromNodeHeaders(credentialHeaders(credential)) });
    if (!result) return null;
    const user = result.user as typeof result.user & { role?: Role; banned?: boolean };
    if (user.banned) return null;
    return {
      actor: { id: user.id, email: user.email, name: user.name, role: user.role ?? 'customer' },
      expiresAt: new Date(result.session.expiresAt).getTime(),
    };
  };

  const actorFor: Authenticator['actorFor'] = async (credential) => (await lookUp(credential))?.actor ?? null;

  /**
   * A credential the library verified before, asked again: one named statement instead of the
   * library's request handling, HMACs and two queries. When the sign-in is due for the library's
   * extension (last extended a day or more ago), the library is asked, and extends it.
   */
  const recheck = async (credential: Credential): Promise<{ actor: Actor; expiresAt: number } | null> => {
    if (!findSignIn) return lookUp(credential);
    const row = await findSignIn(sessionTokenOf(credential));
    if (!row || row.banned) return null;
    const expiresAt = new Date(row.expires_at).getTime();
    if (expiresAt <= clock()) return null;
    if (expiresAt - clock() < (SESSION_EXPIRES_IN_SECONDS - SESSION_UPDATE_AGE_SECONDS) * 1000)
      return lookUp(credential);
    return { actor: { id: row.user_id, email: row.email, name: row.name, role: row.role }, expiresAt };
  };

  /** One question per credential at a time: concurrent requests share it. */
  const inFlight = new Map<string, Promise<Actor | null>>();
  const confirm = (credential: Credential, verifiedBefore: boolean): Promise<Actor | null> => {
    const asking = inFlight.get(credential.key);
    if (asking) return asking;
    const since = cache.mark();
    const answer = (verifiedBefore ? recheck(credential) : lookUp(credential))
      .then((found) => {
        if (found) cache.set(credential.key, found.actor, clock(), found.expiresAt, since);
        else cache.drop(credential.key);
        return found?.actor ?? null;
      })
      .finally(() => inFlight.delete(credential.key));
    inFlight.set(credential.key, answer);
    return answer;
  };

  const currentActor: Authenticator['currentActor'] = async (request) => {
    if (request.actorCache !== undefined) return request.actorCache;
    const credential = credentialOf(request.headers);
    let actor: Actor | null = null;
    if (credential) {
      const cached = cache.get(credential.key, clock());
      if (cached) {
        actor = cached.actor;
        // Stale: answer with it, and ask the library again for the next request (errors keep the entry to its end).
        if (cached.stale) confirm(credential, true).catch(() => {});
      } else {
        actor = await confirm(credential, false);
      }
      if (actor) request.authVia = credential.via;
    }
    request.actorCache = actor;
    return actor;
  };

  const assertTrustedOrigin: Authenticator['assertTrustedOrigin'] = (request) => {
    // Only a valid bearer token exempts a request: it is not a browser riding an ambient cookie.
    // Any other Authorization header (Basic, behind a basic-auth proxy) says nothing about that.
    if (request.authVia === 'bearer') return;
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

  return { currentActor, requireActor, actorFor, assertTrustedOrigin };
}
