import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, checkViolation, isConnectionError, sqlState, toProblem, type FieldProblem } from '../errors.js';

/**
 * Every error leaves the server as `application/problem+json` with a stable code. Internal
 * errors are logged with their stack and answered with a bare INTERNAL: no stack, no SQL.
 */
export function installProblemHandlers(app: FastifyInstance, options: { serveAppShell: boolean }): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error as FastifyError);
    // The code, the SQL state and the request id (every request log line carries it); the error's
    // own text only through the serializer, which drops database messages (they quote user data).
    if (appError.status >= 500) request.log.error({ err: error, code: appError.code }, 'request failed');
    else request.log.debug({ code: appError.code }, 'request refused');
    return sendProblem(reply, appError);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    // Client-side routes of the web app: any page GET outside the API gets the app shell.
    const isPage = request.method === 'GET' && !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path);
    if (options.serveAppShell && isPage) return reply.type('text/html').sendFile('index.html');
    return sendProblem(reply, new AppError('NOT_FOUND', `No route for ${request.method} ${path}`));
  });
}

export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.code === 'RATE_LIMITED' && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
  if (error.code === 'SERVICE_UNAVAILABLE') reply.header('retry-after', '1');
  return reply.status(error.status).type('application/problem+json').send(toProblem(error));
}

/** Text PostgreSQL refuses (NUL, broken Unicode escapes) or a value of the wrong shape for its column. */
const BAD_VALUE_STATES = new Set(['22021', '22P05', '22P02', '22001', '22003', '22007', '22008', '54001']);
/** busboy's words for a multipart body without a boundary, or cut short. */
const MALFORMED_MULTIPART =
  /^Multipart:|Unexpected end of (form|file|multipart data)|Malformed part header|Malformed urlencoded/;

export function toAppError(thrown: Error): AppError {
  if (thrown instanceof AppError) return thrown;
  const error = thrown as FastifyError;
  if (isConnectionError(error)) {
    return new AppError('SERVICE_UNAVAILABLE', 'The database is briefly unavailable; please try again in a moment');
  }
  const state = sqlState(error);
  if (state && BAD_VALUE_STATES.has(state)) return new AppError('VALIDATION_FAILED', 'A value is not acceptable');
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body';
    const errors: FieldProblem[] = error.validation.map((issue) => ({
      path: [where, ...pathOf(issue.instancePath)].join('.'),
      message: issue.message ?? 'is invalid',
    }));
    return new AppError('VALIDATION_FAILED', `The ${where} is not valid`, {
      errors,
    });
  }
  // A CHECK constraint caught what validation should have: still the client's fault, not a 500.
  if (checkViolation(error)) return new AppError('VALIDATION_FAILED', 'A value breaks a rule of the data model');
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Send JSON (application/json) or, for uploads, multipart/form-data',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('VALIDATION_FAILED', 'The JSON body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('VALIDATION_FAILED', 'The body is not valid JSON');
  }
  if (typeof error.message === 'string' && MALFORMED_MULTIPART.test(error.message)) {
    return new AppError('VALIDATION_FAILED', 'The upload is malformed: send one file as multipart/form-data', {
      errors: [{ path: 'body.file', message: 'is missing or cut short' }],
    });
  }
  if (error instanceof SyntaxError || error.statusCode === 400) {
    return new AppError('VALIDATION_FAILED', 'The request is malformed');
  }
  if (error.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (error.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (error.statusCode === 429) return new AppError('RATE_LIMITED');
  if (error.statusCode === 404) return new AppError('NOT_FOUND');
  if (error.statusCode === 414) return new AppError('VALIDATION_FAILED', 'The address is too long');
  if (error.statusCode === 408) return new AppError('VALIDATION_FAILED', 'The request took too long to arrive');
  return new AppError('INTERNAL');
}

function pathOf(instancePath: string | undefined): string[] {
  return (instancePath ?? '').split('/').filter(Boolean);
}
