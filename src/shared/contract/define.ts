import { z } from 'zod';

/*
 * An endpoint of the HTTP contract, described once: the server registers its route from it
 * (validation, serialisation, the OpenAPI document) and the web app calls it through the same
 * description (typed parameters, body and answer). Nothing else states a path or a shape.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Endpoint = {
  method: HttpMethod;
  path: string;
  summary: string;
  tags: readonly string[];
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success answers by status (JSON). Errors are always the Problem document. */
  responses: Readonly<Record<number, z.ZodType>>;
  /** The answer is a file (its content type, e.g. application/pdf), not JSON. */
  produces?: string;
  /** The body is multipart/form-data (uploads), not JSON. */
  multipart?: boolean;
  /** Anyone may call it; every other /api endpoint needs a signed-in user (admin under /api/admin). */
  public?: boolean;
};

export const endpoint = <const E extends Endpoint>(e: E): E => e;

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type In<S> = S extends z.ZodType ? z.input<S> : undefined;

/** What a handler receives, validated. */
export type ParamsOf<E extends Endpoint> = Out<E['params']>;
export type QueryOf<E extends Endpoint> = Out<E['query']>;
export type BodyOf<E extends Endpoint> = Out<E['body']>;
/** What a caller sends. */
export type ParamsIn<E extends Endpoint> = In<E['params']>;
export type QueryIn<E extends Endpoint> = In<E['query']>;
export type BodyIn<E extends Endpoint> = In<E['body']>;
/** A success answer as the caller receives it (after serialisation). */
export type ResponseOf<E extends Endpoint> = z.output<E['responses'][keyof E['responses']]>;
/** A success answer as a handler may produce it (before serialisation). */
export type ResponseIn<E extends Endpoint> = z.input<E['responses'][keyof E['responses']]>;

/** RFC 9457 problem document, the one error shape of the API (extra members allowed). */
export const Problem = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof Problem>;

export { fillPath } from './fill-path.js';
