import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_LIMITS } from '../../src/server/attachments/upload-attachment.js';
import { customer, mechanic, type TestUser } from '../factories/index.js';
import { liveSession } from '../factories/sessions.js';
import { call } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BOUNDARY = 'upload-boundary';
const head = (filename: string) =>
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n`,
  );
const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
const multipart = (content: Buffer, filename = 'photo.png') => Buffer.concat([head(filename), content, tail]);
const png = (size: number) => Buffer.concat([PNG, crypto.randomBytes(Math.max(0, size - PNG.length))]);

const upload = (user: TestUser, sessionId: string, content: Buffer) =>
  call(t, 'POST', `/api/sessions/${sessionId}/attachments`, {
    as: user,
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    rawBody: multipart(content),
  });

const leftovers = () => {
  const dir = path.join(t.dataDir, 'uploads', 'tmp');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

describe('uploads are streamed to disk and bounded', () => {
  it('a 9 MiB photo is stored whole, under its hash', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    const content = png(9 * 1024 * 1024);
    const reply = await upload(c, session.id, content);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ size: content.length, contentType: 'image/png' });
    expect(reply.body.sha256).toBe(crypto.createHash('sha256').update(content).digest('hex'));
    const stored = fs.readFileSync(path.join(t.dataDir, 'uploads', reply.body.sha256.slice(0, 2), reply.body.sha256));
    expect(stored.equals(content)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('one byte over 10 MiB is PAYLOAD_TOO_LARGE and leaves nothing behind', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    const reply = await upload(c, session.id, png(UPLOAD_LIMITS.fileBytes + 1));
    expect(reply.status).toBe(413);
    expect(reply.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(leftovers()).toEqual([]);
  });

  it('an account uploads at most so many files per window: then 429 with when to retry', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    for (let i = 0; i < UPLOAD_LIMITS.perWindow; i++) expect((await upload(c, session.id, png(64))).status).toBe(201);
    const refused = await upload(c, session.id, png(64));
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    t.clock.advanceSeconds(UPLOAD_LIMITS.windowSeconds + 1);
    expect((await upload(c, session.id, png(64))).status).toBe(201);
  });

  it('a session holds at most so many files, whoever uploads them: then 413', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    for (let i = 0; i < UPLOAD_LIMITS.sessionFiles; i++) {
      const reply = await upload(i % 2 === 0 ? c : m, session.id, png(64 + i));
      expect(reply.status, `file ${i}`).toBe(201);
    }
    const refused = await upload(m, session.id, png(32));
    expect(refused.status).toBe(413);
    expect(refused.body.detail).toMatch(/limit/);
  });

  it('one account uploads at most two files at a time', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(base);
    // Two uploads that have sent their headers and a first chunk, and are still sending.
    const slow = [0, 1].map(() => {
      const body = multipart(png(256 * 1024));
      const request = http.request({
        host: '127.0.0.1',
        port: Number(port),
        method: 'POST',
        path: `/api/sessions/${session.id}/attachments`,
        headers: {
          ...c.headers,
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
          'content-length': body.length,
        },
      });
      const answered = new Promise<number>((resolve) =>
        request.on('response', (r) => (r.resume(), resolve(r.statusCode!))),
      );
      request.write(body.subarray(0, 1024));
      return { finish: () => request.end(body.subarray(1024)), answered };
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const third = await fetch(`${base}/api/sessions/${session.id}/attachments`, {
      method: 'POST',
      headers: { ...c.headers, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body: multipart(png(64)),
    });
    expect(third.status).toBe(429);
    for (const upload of slow) upload.finish();
    expect(await Promise.all(slow.map((u) => u.answered))).toEqual([201, 201]);
  });
});
