import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Built } from '../../src/server/app.js';
import { parseConfig } from '../../src/server/config.js';
import { openTestDatabase, TEST_AUTH_SECRET, type TestDatabase } from '../helpers/test-app.js';

describe('the web app is served by the same server', () => {
  const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodoctor-web-'));
  let built: Built;
  let db: TestDatabase;
  beforeAll(async () => {
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>AutoDoctor</title><div id="root"></div>');
    fs.mkdirSync(path.join(webDir, 'assets'));
    fs.writeFileSync(path.join(webDir, 'assets', 'app.js'), 'console.log(1)');
    db = await openTestDatabase();
    built = await buildApp({
      config: parseConfig({ LOG_LEVEL: 'silent', DATA_DIR: webDir }),
      database: db.database,
      authSecret: TEST_AUTH_SECRET,
      logger: pino({ level: 'silent' }),
      webDir,
    });
  });
  afterAll(async () => {
    await built.app.close();
    await db.dispose();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('serves the shell at / and for client-side routes, assets as files, and API 404s as problems', async () => {
    const home = await built.app.inject({ url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('<div id="root">');
    const deep = await built.app.inject({ url: '/sessions/abc?x=1' });
    expect(deep.statusCode).toBe(200);
    expect(deep.headers['content-type']).toContain('text/html');
    const asset = await built.app.inject({ url: '/assets/app.js' });
    expect(asset.body).toBe('console.log(1)');
    expect((await built.app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    const api = await built.app.inject({ url: '/api/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('NOT_FOUND');
  });
});
