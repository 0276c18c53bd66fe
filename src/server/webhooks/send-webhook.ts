import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { RefusedAddressError } from './url-guard.js';

/*
 * One HTTP attempt of a delivery. node:http rather than fetch: it lets the connection use our own
 * DNS lookup (url-guard.ts), so the address that was checked is the address that is connected to.
 * Redirects are never followed (node:http does not): a 3xx is a failed attempt, since following
 * one would send a signed payload somewhere nobody registered — and could lead inside.
 */

export const SEND_TIMEOUT_MS = 10_000;
/** Of a failed answer's body, only this much is kept: the log shows a hint, not the receiver's page. */
const BODY_EXCERPT_CHARS = 200;

export type AttemptOutcome = {
  /** Null when no answer came. */
  statusCode: number | null;
  /** Until the answer's status line (or the failure). */
  durationMs: number;
  /** Null on a 2xx; otherwise what went wrong, in one line. */
  error: string | null;
};

export const isSuccess = (outcome: AttemptOutcome) =>
  outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;

/** Text safe to store and show: no control characters (PostgreSQL refuses NUL), one line. */
const oneLine = (text: string) =>
  text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, BODY_EXCERPT_CHARS);

function describeFailure(error: unknown, timedOut: boolean): string {
  if (timedOut) return `no answer within ${SEND_TIMEOUT_MS / 1000} s`;
  if (error instanceof RefusedAddressError) return `not sent: ${error.message}`;
  const facts = error as { code?: unknown; message?: unknown };
  const code = typeof facts.code === 'string' ? facts.code : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by the receiver';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name could not be resolved';
  }
  const message = typeof facts.message === 'string' ? facts.message : String(error);
  return oneLine(code ? `${code}: ${message}` : message);
}

function describeAnswer(statusCode: number, body: string): string {
  if (statusCode >= 300 && statusCode < 400) return `HTTP ${statusCode}: redirects are not followed`;
  const excerpt = oneLine(body);
  return excerpt ? `HTTP ${statusCode}: ${excerpt}` : `HTTP ${statusCode}`;
}

/** POSTs `body` to `url` once; never throws — every outcome is an attempt to record. */
export function postWebhook(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { lookup?: net.LookupFunction; timeoutMs?: number } = {},
): Promise<AttemptOutcome> {
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal,
        // A fresh connection each time: a pooled socket would skip the address check.
        agent: false,
        ...(options.lookup ? { lookup: options.lookup } : {}),
      },
      (response) => {
        const statusCode = response.statusCode ?? 0;
        const durationMs = elapsed();
        if (statusCode >= 200 && statusCode < 300) {
          // The status is the answer; the body is nobody's business (drained, bounded by the timeout).
          response.resume();
          settle({ statusCode, durationMs, error: null });
          return;
        }
        let text = '';
        const done = () => {
          settle({ statusCode, durationMs, error: describeAnswer(statusCode, text) });
          response.destroy();
        };
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          if (text.length >= BODY_EXCERPT_CHARS) done();
        });
        response.on('end', done);
        response.on('error', done);
        response.on('close', done);
      },
    );
    request.on('error', (error) =>
      settle({ statusCode: null, durationMs: elapsed(), error: describeFailure(error, signal.aborted) }),
    );
    request.end(body);
  });
}
