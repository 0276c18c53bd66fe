import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { get } from '../helpers/http.js';
import { customer } from '../factories/index.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('smoke', () => {
  it('bearer token from sign-up authenticates /api/me', async () => {
    const user = await customer(t);
    const reply = await get(t, '/api/me', user);
    expect(reply.status).toBe(200);
    expect(reply.body.user).toMatchObject({ id: user.id, role: 'customer' });
  });
});
