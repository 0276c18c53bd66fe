import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import helmet from 'helmet';
import { pino, type Logger } from 'pino';
import { createAuth } from './auth/auth.js';
import { createAuthenticator, registerAuthRoutes } from './auth/routes.js';
import { createSessionCache } from './auth/session-cache.js';
import type { Config } from './config.js';
import { systemClock, type Clock, type Ctx } from './context.js';
import type { Database } from './db/client.js';
import { accountRoutes } from './accounts/routes.js';
import { adminRoutes } from './admin/routes.js';
import { messageRoutes } from './messages/routes.js';
import { installMetrics } from './platform/metrics.js';
import { installProblemHandlers } from './platform/problems.js';
import type { App, RouteDeps } from './platform/routing.js';
import { createNoticeBus, type NoticeBus } from './realtime/bus.js';
import { createHub, type Hub, type HubOptions } from './realtime/hub.js';
import { realtimeRoutes } from './realtime/routes.js';
import { reportRoutes } from './reports/routes.js';
import { sessionRoutes } from './sessions/routes.js';

export type AppOptions = {
  config: Config;
  database: Database;
  authSecret: string;
  clock?: Clock;
  logger?: Logger;
  /** The built web app to serve at `/`, when it exists. */
  webDir?: string;
  signInRateLimit?: { windowSeconds: number; max: number };
  hub?: Partial<HubOptions>;
};

/**
 * A local server (public URL on localhost) is reached as 127.0.0.1 just as often: both name this
 * machine, so the sign-in form works from either instead of answering "Invalid origin".
 */
function loopbackAlias(publicUrl: string): string[] {
  const url = new URL(publicUrl);
  if (url.hostname !== 'localhost') return [];
  url.hostname = '127.0.0.1';
  return [url.origin];
}

export type Built = { app: App; ctx: Ctx; bus: NoticeBus; hub: Hub; auth: ReturnType<typeof createAuth> };

const BODY_LIMIT = 64 * 1024;
/** API routes anyone may call; every other /api route needs a signed-in user. */
const PUBLIC_ROUTES = new Set(['/api/plans', '/api/workshops', '/api/mechanics/available', '/api/openapi.json']);

/** The Fastify app with every route, no listening socket: `main.ts` listens, tests inject. */
export async function buildApp(options: AppOptions): Promise<Built> {
  const { config, database } = options;
  const log = options.logger ?? pino({ level: config.logLevel });
  const app: App = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    trustProxy: false,
    // On shutdown, end every connection (keep-alive, sockets): the hub has already said goodbye.
    forceCloseConnections: true,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const serveWeb = Boolean(options.webDir && fs.existsSync(path.join(options.webDir, 'index.html')));
  installProblemHandlers(app, { serveAppShell: serveWeb });

  const bus = createNoticeBus(database, log);
  const ctx: Ctx = { db: database.db, clock: options.clock ?? systemClock, windows: config.windows, bus, log };
  const trustedOrigins = [
    config.publicUrl,
    ...loopbackAlias(config.publicUrl),
    'http://localhost:5173',
    'http://127.0.0.1:5173',
  ];
  const auth = createAuth({
    db: database.db,
    secret: options.authSecret,
    publicUrl: config.publicUrl,
    trustedOrigins,
    signInRateLimit: options.signInRateLimit ?? { windowSeconds: 60, max: 10 },
    secureCookies: config.publicUrl.startsWith('https://'),
  });
  const sessionCache = createSessionCache({ ttlMs: 30_000, maxEntries: 50_000 });
  bus.subscribe((notice) => {
    if (notice.kind === 'auth') sessionCache.evictUser(notice.userId);
  });
  const deps: RouteDeps = {
    ctx,
    auth: createAuthenticator(auth, trustedOrigins, sessionCache),
    config,
    uploadsDir: path.resolve(config.dataDir, 'uploads'),
  };

  // Security headers from one helmet middleware built once (@fastify/helmet rebuilds it, and
  // re-parses the policy, on every request).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: config.publicUrl.startsWith('https://'),
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)),
  );
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'AutoDoctor API', version: '1.0.0', description: 'Remote help from certified mechanics.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  const metrics = installMetrics(app);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const ok = await database.ping();
    return reply.status(ok ? 200 : 503).send({ ok });
  });
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const loopback = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(request.ip);
    if (!loopback) await deps.auth.requireActor(request, 'admin');
    return reply.type(metrics.contentType).send(await metrics.metrics());
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Who you are is settled before the body is even parsed: an anonymous request is 401 and a
  // non-admin on an admin route is 403, whatever it sent.
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    if (
      !route?.startsWith('/api/') ||
      PUBLIC_ROUTES.has(route) ||
      route.startsWith('/api/auth/') ||
      route.startsWith('/api/docs')
    ) {
      return;
    }
    if (route.startsWith('/api/admin/')) await deps.auth.requireActor(request, 'admin');
    else await deps.auth.requireActor(request);
  });

  registerAuthRoutes(app, auth, async (request) => {
    // Evict here at once, and in every other process through the bus.
    const actor = await deps.auth.currentActor(request);
    if (actor) {
      sessionCache.evictUser(actor.id);
      bus.publish({ kind: 'auth', userId: actor.id });
    }
  });
  accountRoutes(app, deps);
  sessionRoutes(app, deps);
  messageRoutes(app, deps);
  reportRoutes(app, deps);
  adminRoutes(app, deps);
  const hub = createHub(ctx, bus, { iceServers: config.iceServers, ...options.hub });
  await realtimeRoutes(app, deps, hub);

  if (serveWeb) {
    await app.register(fastifyStatic, { root: options.webDir!, prefix: '/', wildcard: false, index: ['index.html'] });
  }

  return { app, ctx, bus, hub, auth };
}
