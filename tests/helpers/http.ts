import type { TestApp } from './test-app.js';

export type Reply<T = any> = { status: number; body: T; headers: Record<string, unknown> };

type As = { headers: Record<string, string> } | undefined;

/** `app.inject` with JSON in and out, as a given user. */
export async function call<T = any>(
  t: TestApp,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
  url: string,
  options: {
    as?: As;
    body?: unknown;
    headers?: Record<string, string>;
    rawBody?: string | Buffer;
    /** The client's address (rate limits count per address). */
    remoteAddress?: string;
  } = {},
): Promise<Reply<T>> {
  const response = await t.app.inject({
    method,
    url,
    headers: { ...options.as?.headers, ...options.headers },
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
    ...(options.rawBody !== undefined
      ? { payload: options.rawBody }
      : options.body !== undefined
        ? { payload: options.body as object }
        : {}),
  });
  let body: unknown = response.body;
  if (String(response.headers['content-type'] ?? '').includes('json')) body = response.json();
  return { status: response.statusCode, body: body as T, headers: response.headers };
}

export const get = <T = any>(t: TestApp, url: string, as?: As) => call<T>(t, 'GET', url, { as });
export const post = <T = any>(t: TestApp, url: string, as?: As, body?: unknown) =>
  call<T>(t, 'POST', url, { as, body: body ?? {} });
export const put = <T = any>(t: TestApp, url: string, as?: As, body?: unknown) => call<T>(t, 'PUT', url, { as, body });

/** One file in a multipart/form-data body, as a browser's upload sends it: the headers and bytes for `call`. */
export function multipartFile(filename: string, content: Buffer, contentType = 'image/png') {
  const boundary = 'autodoctor-test-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    rawBody: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  };
}
