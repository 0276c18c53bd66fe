import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoint, SERVED_ENDPOINTS } from '../../src/shared/contract/index.js';
import { installProblemHandlers } from '../../src/server/platform/problems.js';
import { route, type App } from '../../src/server/platform/routing.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Operation = { responses?: Record<string, unknown> };
const openapiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

describe('one contract from the schema to the browser', () => {
  it('every endpoint of the contract is served, and the OpenAPI document declares each answer', async () => {
    const document = t.app.swagger() as { paths: Record<string, Record<string, Operation>> };
    for (const e of SERVED_ENDPOINTS) {
      expect(t.app.hasRoute({ method: e.method, url: e.path }), `${e.method} ${e.path}`).toBe(true);
      const operation = document.paths[openapiPath(e.path)]?.[e.method.toLowerCase()];
      expect(operation, `${e.method} ${e.path} in the OpenAPI document`).toBeDefined();
      if (e.produces) continue;
      for (const status of Object.keys(e.responses)) {
        expect(operation!.responses?.[status], `${e.method} ${e.path} → ${status}`).toBeDefined();
      }
      expect(operation!.responses?.['4XX'] ?? operation!.responses?.['4xx'], `${e.path} errors`).toBeDefined();
    }
  });

  it('every API route the server documents is in the contract', async () => {
    const document = t.app.swagger() as { paths: Record<string, Record<string, Operation>> };
    const inContract = new Set(SERVED_ENDPOINTS.map((e) => `${e.method} ${openapiPath(e.path)}`));
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.filter((op) => op.includes(' /api/') && !inContract.has(op))).toEqual([]);
  });

  it('a handler answering something its schema does not allow fails instead of drifting', async () => {
    const app = Fastify().withTypeProvider<ZodTypeProvider>() as unknown as App;
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installProblemHandlers(app, { serveAppShell: false });
    const drifting = endpoint({
      method: 'GET',
      path: '/drift',
      summary: 'answers a shape its schema does not allow',
      tags: [],
      responses: { 200: z.object({ id: z.uuid(), count: z.number().int() }) },
    });
    route(app, drifting, async () => ({ id: 'not-a-uuid', count: 1.5 }) as never);
    const reply = await app.inject({ method: 'GET', url: '/drift' });
    expect(reply.statusCode).toBe(500);
    expect(reply.body).not.toContain('not-a-uuid');
    await app.close();
  });
});
