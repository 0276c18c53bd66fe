import type { FastifyInstance } from 'fastify';
import { pino, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import { sqlState } from '../errors.js';

/**
 * Error logs say what failed and where — the error's type, code, SQL state, constraint and stack
 * frames — and never what a user wrote. A database error's message carries the statement and its
 * parameters (Drizzle: "Failed query: … params: …"), PostgreSQL's own messages and details quote
 * values ('Key (email)=(…) already exists', 'invalid input syntax for type uuid: "…"'): customers'
 * concerns and chat text would end up in the logs. Those messages are dropped.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .map((line) => line.trim());
  const database = databaseFacts(error);
  if (database) return { type: error.name, ...database, stack: frames };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    stack: frames,
  };
}

type PgFields = {
  code?: string;
  severity?: string;
  routine?: string;
  constraint?: string;
  table?: string;
  column?: string;
};

function databaseFacts(error: Error): Record<string, unknown> | undefined {
  const state = sqlState(error);
  const isQueryError = error.name === 'DrizzleQueryError' || 'query' in error;
  if (!state && !isQueryError) return undefined;
  let pgError: PgFields | undefined;
  for (let current: unknown = error, depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const candidate = current as PgFields & { cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) pgError = candidate;
    current = candidate.cause;
  }
  const cause = (error as { cause?: unknown }).cause;
  return {
    sqlState: state ?? null,
    ...(pgError?.severity ? { severity: pgError.severity } : {}),
    ...(pgError?.routine ? { routine: pgError.routine } : {}),
    ...(pgError?.constraint ? { constraint: pgError.constraint } : {}),
    ...(pgError?.table ? { table: pgError.table } : {}),
    ...(pgError?.column ? { column: pgError.column } : {}),
    ...(!pgError && cause instanceof Error ? { cause: cause.name } : {}),
  };
}

export const LOG_SERIALIZERS: LoggerOptions['serializers'] = { err: serializeError, error: serializeError };

export type LogFormat = 'json' | 'pretty';

/**
 * The process logger, with the safe error serializer: JSON lines for machines (a log collector, a
 * file, CI), or one readable line per record on a terminal — a newcomer running `npm start` sees
 * "AutoDoctor is ready at …", not a wall of JSON. `LOG_FORMAT` overrides the guess.
 */
export function createLogger(level: LoggerOptions['level'], format: LogFormat = 'json'): Logger {
  const options: LoggerOptions = { level, serializers: LOG_SERIALIZERS };
  if (format === 'json') return pino(options);
  return pino(
    options,
    pretty({
      colorize: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss',
      // A request's line says it all in its message ("GET /api/me 401 (3 ms)").
      ignore: 'pid,hostname,reqId,method,path,status,ms',
      sync: true,
    }),
  );
}

/** `json` unless standard output is a terminal. */
export const defaultLogFormat = (stdoutIsTty = Boolean(process.stdout.isTTY)): LogFormat =>
  stdoutIsTty ? 'pretty' : 'json';

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One line per request once it is answered (method, path without the query, status, time), in
 * place of Fastify's two ("incoming request", "request completed"); probes at debug only.
 */
export function logRequests(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    const level = QUIET_PATHS.has(path) ? 'debug' : reply.statusCode >= 500 ? 'error' : 'info';
    request.log[level](
      { method: request.method, path, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      `${request.method} ${path} ${reply.statusCode} (${Math.round(reply.elapsedTime)} ms)`,
    );
  });
}
