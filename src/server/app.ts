import fs from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
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
import type { Logger } from 'pino';
import { findTextProblems } from '../shared/text-guard.js';
import { createAuth } from './auth/auth.js';
import { findSignIn } from './auth/auth.repository.js';
import { createAuthenticator, registerAuthRoutes } from './auth/routes.js';
import { consumeRateLimit } from './auth/auth.repository.js';
import { createSessionCache } from './auth/session-cache.js';
import type { Config } from './config.js';
import { AppError } from './errors.js';
import { systemClock, type Clock, type Ctx } from './context.js';
import type { Database } from './db/client.js';
import { SERVED_ENDPOINTS } from '../shared/contract/index.js';
import { accountRoutes } from './accounts/routes.js';
import { catalogueRoutes } from './catalogue/routes.js';
import { documentRoutes } from './documents/routes.js';
import { attachmentRoutes } from './attachments/routes.js';
import { adminRoutes } from './admin/routes.js';
import { mechanicProfileRoutes } from './mechanics/routes.js';
import { messageRoutes } from './messages/routes.js';
import { createPaymentProvider } from './payments/create-provider.js';
import type { PaymentProvider } from './payments/provider.js';
import { paymentRoutes } from './payments/routes.js';
import { notificationRoutes } from './notifications/routes.js';
import { enqueueAccountEmail, enqueueAccountExistsEmail } from './notifications/send-email.js';
import { createNotifications, type Mailer } from './notifications/mailer.js';
import { installMetrics } from './platform/metrics.js';
import { createLogger, logRequests } from './platform/logging.js';
import { installProblemHandlers, sendProblem, toAppError } from './platform/problems.js';
import type { App, RouteDeps } from './platform/routing.js';
import { createNoticeBus, type NoticeBus } from './realtime/bus.js';
import { createHub, type Hub, type HubOptions } from './realtime/hub.js';
import { realtimeRoutes } from './realtime/routes.js';
import { reportRoutes } from './reports/routes.js';
import { sessionRoutes } from './sessions/routes.js';
import { vehicleRoutes } from './vehicles/routes.js';
import { webhookRoutes } from './webhooks/routes.js';

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
  /** A provider to use instead of the configured one (tests: Stripe pointed at a stand-in). */
  paymentProvider?: PaymentProvider;
  /** A mailer to use instead of the configured one. */
  mailer?: Mailer;
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
/** API routes anyone may call (the contract marks them); every other /api route needs a signed-in user. */
const PUBLIC_ROUTES = new Set([...SERVED_ENDPOINTS.filter((e) => e.public).map((e) => e.path), '/api/openapi.json']);

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Prometheus may scrape from this machine, or anywhere with METRICS_TOKEN as a bearer token.
 * Behind a proxy every request arrives from the proxy (often on loopback), so there the socket's
 * address proves nothing: only the token, or an admin's sign-in, opens /metrics.
 */
function mayReadMetrics(authorization: string | undefined, socketAddress: string | undefined, config: Config) {
  if (config.metricsToken && authorization === `Bearer ${config.metricsToken}`) return true;
  return config.trustProxy === undefined && LOOPBACK.has(socketAddress ?? '');
}

/** The Fastify app with every route, no listening socket: `main.ts` listens, tests inject. */
export async function buildApp(options: AppOptions): Promise<Built> {
  const { config, database } = options;
  const log = options.logger ?? createLogger(config.logLevel);
  const app: App = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // One line per answered request instead of two (platform/logging.ts).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    // Client addresses (rate limits, logs) from X-Forwarded-For only when it comes from a proxy
    // named in TRUST_PROXY; otherwise the socket's own address, whatever a client claims.
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (config.trustProxy as number)
        : (config.trustProxy ?? false),
    // A request whose headers and body have not arrived by then is dropped (a slow-body client
    // would otherwise hold a connection and its buffers for ever).
    requestTimeout: config.requestTimeoutMs,
    // Node arms the timeout only when the server is created with it (Fastify sets it afterwards),
    // and looks for overdue requests every 30 s by default: often enough to mean it, here.
    http: {
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, config.requestTimeoutMs / 4)),
    },
    // The router's own refusals (an over-long or malformed path) answer like every other error.
    frameworkErrors: (error, _request, reply) =>
      sendProblem(
        reply,
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new AppError('VALIDATION_FAILED', 'A path segment is too long', {
              errors: [{ path: 'params', message: 'is too long' }],
            })
          : toAppError(error),
      ),
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
  const clock = options.clock ?? systemClock;
  const ctx: Ctx = {
    db: database.db,
    clock,
    windows: config.windows,
    bus,
    log,
    payments: {
      provider: options.paymentProvider ?? createPaymentProvider(config.payments, database.db, clock),
      platformFeePercent: config.payments.platformFeePercent,
      noShowFeePercent: config.payments.noShowFeePercent,
    },
    notifications: createNotifications(config, options.authSecret, options.mailer),
  };
  const trustedOrigins = [
    config.publicUrl,
    ...loopbackAlias(config.publicUrl),
    // Vite's dev server proxies the API: its pages are ours only on a developer's machine.
    ...(config.env === 'development' ? ['http://localhost:5173', 'http://127.0.0.1:5173'] : []),
  ];
  const auth = createAuth({
    db: database.db,
    secret: options.authSecret,
    publicUrl: config.publicUrl,
    trustedOrigins,
    signInRateLimit: options.signInRateLimit ?? { windowSeconds: 60, max: 10 },
    secureCookies: config.publicUrl.startsWith('https://'),
    // Counted in the database: every process behind the load balancer shares one limit.
    rateLimitStorage: {
      consume: (key, rule) => consumeRateLimit(database.db, `auth:${key}`, rule.window, rule.max, ctx.clock.now()),
    },
    // After the library deleted the session: evict here at once, and everywhere through the bus.
    onSessionRevoked: (userId) => bus.publish({ kind: 'auth', userId }),
    // Committed at once (the library has no transaction of ours to join); the job sends it.
    sendAccountEmail: (kind, user, url) => enqueueAccountEmail(ctx, kind, user, url),
  });
  const sessionCache = createSessionCache({ ttlMs: 30_000, maxEntries: 50_000 });
  bus.subscribe((notice) => {
    if (notice.kind === 'auth') sessionCache.evictUser(notice.userId);
  });
  // While the bus was down, evictions may have been missed: nothing cached can be trusted.
  bus.onResync(() => sessionCache.clear());
  const deps: RouteDeps = {
    ctx,
    auth: createAuthenticator(auth, trustedOrigins, sessionCache, Date.now, (token) => findSignIn(database.db, token)),
    config,
    uploadsDir: path.resolve(config.dataDir, 'uploads'),
  };

  // Security headers from one helmet middleware built once (@fastify/helmet rebuilds it, and
  // re-parses the policy, on every request).
  // With Stripe, its Payment Element needs Stripe.js, its frames and its API (nothing else does).
  const stripe = config.payments.provider === 'stripe';
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...(stripe ? ['https://js.stripe.com'] : [])],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...(stripe ? ['https://*.stripe.com'] : [])],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", 'ws:', 'wss:', ...(stripe ? ['https://api.stripe.com'] : [])],
        frameSrc: stripe ? ['https://js.stripe.com', 'https://hooks.stripe.com'] : ["'none'"],
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
  const metrics = installMetrics(app, database);
  logRequests(app);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  // Ready means both halves work: the database answers, and realtime is listening to it.
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const [database_, realtime] = [await database.ping(), bus.isListening()];
    const ok = database_ && realtime;
    return reply.status(ok ? 200 : 503).send({ ok, database: database_, realtime });
  });
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!mayReadMetrics(request.headers.authorization, request.socket.remoteAddress, config)) {
      await deps.auth.requireActor(request, 'admin');
    }
    return reply.type(metrics.contentType).send(await metrics.metrics());
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // An empty JSON body is no body: `POST /end` with `content-type: application/json` and nothing
  // else is a plain "end". Everything else goes through Fastify's own (prototype-safe) parser.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    parseJson(request, body as string, done);
  });
  // NUL characters, broken Unicode and absurd nesting are refused with the field that carries
  // them, before any schema or statement sees them.
  app.addHook('preValidation', async (request) => {
    const problems = [
      ...findTextProblems(request.params, 'params'),
      ...findTextProblems(request.query, 'query'),
      ...(request.isMultipart() || Buffer.isBuffer(request.body) ? [] : findTextProblems(request.body, 'body')),
    ];
    if (problems.length > 0) {
      throw new AppError('VALIDATION_FAILED', 'Some text is not valid', { errors: problems });
    }
  });

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

  registerAuthRoutes(app, auth, { onExistingSignUp: (email) => enqueueAccountExistsEmail(ctx, email) });
  accountRoutes(app, deps);
  mechanicProfileRoutes(app, deps);
  catalogueRoutes(app, deps);
  sessionRoutes(app, deps);
  messageRoutes(app, deps);
  attachmentRoutes(app, deps);
  reportRoutes(app, deps);
  documentRoutes(app, deps);
  vehicleRoutes(app, deps);
  adminRoutes(app, deps);
  webhookRoutes(app, deps);
  await paymentRoutes(app, deps);
  await notificationRoutes(app, deps);
  const hub = createHub(ctx, bus, deps.auth, { iceServers: config.iceServers, ...options.hub });
  await realtimeRoutes(app, deps, hub);

  if (serveWeb) {
    await app.register(fastifyStatic, { root: options.webDir!, prefix: '/', wildcard: false, index: ['index.html'] });
  }

  return { app, ctx, bus, hub, auth };
}
