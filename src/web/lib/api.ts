/** The HTTP client: same-origin cookies, JSON in and out, problem+json errors as `ApiError`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
    readonly reason?: string,
  ) {
    super(message);
  }
  /** The message for one form field (`body.vehicle.vin` → "vehicle.vin"). */
  field(name: string): string | undefined {
    return this.fields.find((f) => f.path === `body.${name}` || f.path === name)?.message;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers name the response type
export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body instanceof FormData || body === undefined ? {} : { 'content-type': 'application/json' },
      body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach AutoDoctor. Check your connection and try again.');
  }
  const text = await response.text();
  const data = text ? safeJson(text) : null;
  if (!response.ok) {
    const problem = (data ?? {}) as { code?: string; detail?: string; message?: string; errors?: []; reason?: string };
    throw new ApiError(
      response.status,
      problem.code ?? `HTTP_${response.status}`,
      problem.detail ?? problem.message ?? `Request failed (${response.status})`,
      problem.errors ?? [],
      problem.reason,
    );
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- callers name the response type */
export const get = <T = any>(path: string) => api<T>('GET', path);
export const post = <T = any>(path: string, body: unknown = {}) => api<T>('POST', path, body);
export const put = <T = any>(path: string, body: unknown) => api<T>('PUT', path, body);
/* eslint-enable @typescript-eslint/no-explicit-any */
