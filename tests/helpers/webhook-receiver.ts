import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { vi } from 'vitest';

/*
 * An integrator's endpoint, for real: an HTTP server on 127.0.0.1 that checks every message the
 * way docs/webhooks.md tells integrators to — `new Webhook(secret).verify(rawBody, headers)` — and
 * answers 400 to one that does not verify, or what the test scripts otherwise.
 */

export type Received = {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The payload `verify` returned, or null when it threw (see `verifyError`). */
  verified: unknown;
  verifyError: string | null;
};

export type Answer = { status: number; body?: string; headers?: Record<string, string> };

export type Receiver = {
  url: string;
  received: Received[];
  /** The endpoint's secret, once the test has created the endpoint. */
  secret: string | null;
  /** What to answer the nth message (0-based) that verified; 200 by default. */
  answer: (message: Received, n: number) => Answer | Promise<Answer>;
  close: () => Promise<void>;
};

/**
 * `now` is the receiver's clock: the one the server signs with (the test's fake clock), so the
 * library's five-minute replay window is judged against it rather than against the wall.
 */
export async function startReceiver(now: () => Date, path = '/hooks'): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    secret: null,
    answer: () => ({ status: 200, body: 'ok' }),
    close: async () => {},
  };
  let verifiedCount = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const message: Received = { headers: request.headers, body, verified: null, verifyError: null };
      if (!receiver.secret) {
        message.verifyError = 'the receiver has no secret yet';
      } else {
        const clock = vi.spyOn(Date, 'now').mockReturnValue(now().getTime());
        try {
          message.verified = new Webhook(receiver.secret).verify(body, {
            'webhook-id': String(request.headers['webhook-id'] ?? ''),
            'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
            'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
          });
        } catch (error) {
          message.verifyError = (error as Error).message;
        } finally {
          clock.mockRestore();
        }
      }
      receiver.received.push(message);
      void Promise.resolve(
        message.verifyError
          ? { status: 400, body: `bad signature: ${message.verifyError}` }
          : receiver.answer(message, verifiedCount++),
      ).then((answer) => {
        response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        response.end(answer.body ?? '');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}${path}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
