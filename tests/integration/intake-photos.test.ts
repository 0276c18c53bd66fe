import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTAKE_PHOTO_LIMITS } from '../../src/shared/photos.js';
import { admin, customer, mechanic, workshop, type TestUser } from '../factories/index.js';
import { acceptedSession, pendingSession } from '../factories/sessions.js';
import { call, get, post, multipartFile } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/*
 * Photos from the request (decision 014): what the customer uploads while the request waits
 * belongs to the session from the start — it survives a reload, the mechanics the request is
 * offered to see it on the card, the assigned mechanic above the chat — and nobody else sees it.
 */

let t: TestApp;
let boss: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  boss = await admin(t);
});
afterAll(() => t.close());

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const png = (size = 256) => Buffer.concat([PNG, crypto.randomBytes(size - PNG.length)]);
const PDF = Buffer.from('%PDF-1.7\n% a service invoice\n');

const upload = (user: TestUser | undefined, sessionId: string, content: Buffer, filename = 'wheel.png') =>
  call(t, 'POST', `/api/sessions/${sessionId}/attachments`, { as: user, ...multipartFile(filename, content) });

const photosOf = (sessionId: string, as?: TestUser) => get(t, `/api/sessions/${sessionId}/intake-photos`, as);

/** A pending request with one photo, and the people around it. */
async function requestWithPhoto(overrides: Record<string, unknown> = {}) {
  const c = await customer(t);
  const session = await pendingSession(t, c, overrides);
  const uploaded = await upload(c, session.id, png());
  expect(uploaded.status).toBe(201);
  return { c, sessionId: session.id, photo: uploaded.body as { id: string; purpose: string } };
}

describe('photos from the request', () => {
  it('the customer’s uploads while the request waits are its photos, and a reload finds them', async () => {
    const c = await customer(t);
    const session = await pendingSession(t, c);
    const first = await upload(c, session.id, png(), 'front wheel.png');
    const second = await upload(c, session.id, png(), 'dashboard.png');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ purpose: 'intake', contentType: 'image/png', filename: 'front wheel.png' });
    // What a refreshed waiting page asks for: the photos are the server's, not the page's.
    const listed = await photosOf(session.id, c);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((p: { id: string }) => p.id).sort()).toEqual([first.body.id, second.body.id].sort());
    const file = await t.app.inject({ method: 'GET', url: `/api/attachments/${first.body.id}`, headers: c.headers });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
  });

  it('who sees a waiting request’s photos: its customer, the mechanics it is offered to, admins — nobody else', async () => {
    const shop = await workshop(t);
    const { c, sessionId, photo } = await requestWithPhoto({ workshopId: shop.id });
    const eligible = await mechanic(t, { workshopId: shop.id });
    const offShift = await mechanic(t, { workshopId: shop.id, onShift: false });
    const otherWorkshop = await mechanic(t, { tier: 'workshop_partner' });
    const applicant = await mechanic(t, { workshopId: shop.id, approval: 'pending' });
    const otherCustomer = await customer(t);
    const expected: [string, TestUser | undefined, number][] = [
      ['its customer', c, 200],
      ['an eligible mechanic', eligible, 200],
      ['an admin', boss, 200],
      ['another customer', otherCustomer, 404],
      ['a mechanic off shift', offShift, 404],
      ['a mechanic of another workshop', otherWorkshop, 404],
      ['an applicant', applicant, 404],
      ['nobody signed in', undefined, 401],
    ];
    for (const [who, user, status] of expected) {
      const listed = await photosOf(sessionId, user);
      expect(listed.status, `${who}: the list`).toBe(status);
      if (status === 200) expect(listed.body.items, who).toHaveLength(1);
      else expect(listed.body.items, who).toBeUndefined();
      const file = await get(t, `/api/attachments/${photo.id}`, user);
      expect(file.status, `${who}: the file`).toBe(status);
    }
  });

  it('once accepted, the assigned mechanic sees them above the chat; the others it was offered to no longer do', async () => {
    const { c, sessionId, photo } = await requestWithPhoto();
    const assigned = await mechanic(t);
    const bystander = await mechanic(t);
    expect((await photosOf(sessionId, bystander)).status).toBe(200);
    expect((await post(t, `/api/sessions/${sessionId}/accept`, assigned)).status).toBe(200);
    expect((await photosOf(sessionId, assigned)).body.items).toMatchObject([{ id: photo.id, purpose: 'intake' }]);
    expect((await photosOf(sessionId, bystander)).status).toBe(404);
    expect((await get(t, `/api/attachments/${photo.id}`, bystander)).status).toBe(404);
    // From now on the customer's uploads are the chat's, and only the session's people see them.
    const later = await upload(c, sessionId, png());
    expect(later.body.purpose).toBe('chat');
    expect((await photosOf(sessionId, c)).body.items).toHaveLength(1);
    expect((await get(t, `/api/attachments/${later.body.id}`, bystander)).status).toBe(404);
  });

  it('a mechanic the request is offered to may look, but not add to it', async () => {
    const { sessionId } = await requestWithPhoto();
    const eligible = await mechanic(t);
    const refused = await upload(eligible, sessionId, png());
    expect(refused.status).toBe(404);
    expect((await photosOf(sessionId, eligible)).body.items).toHaveLength(1);
  });

  it(`a request holds at most ${INTAKE_PHOTO_LIMITS.files} photos: then 413, said in words`, async () => {
    const c = await customer(t);
    const session = await pendingSession(t, c);
    for (let i = 0; i < INTAKE_PHOTO_LIMITS.files; i++) {
      expect((await upload(c, session.id, png())).status, `photo ${i + 1}`).toBe(201);
    }
    const refused = await upload(c, session.id, png());
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: 'A request holds at most 6 photos.' });
    expect((await photosOf(session.id, c)).body.items).toHaveLength(INTAKE_PHOTO_LIMITS.files);
  });

  it('refuses what is not a photo, by its bytes: text named .png, a PDF, an empty file', async () => {
    const c = await customer(t);
    const session = await pendingSession(t, c);
    const text = await upload(c, session.id, Buffer.from('I am definitely a PNG, trust me'), 'fake.png');
    expect(text.status).toBe(415);
    expect(text.body.detail).toBe('Photos must be JPEG, PNG or WebP images.');
    const pdf = await upload(c, session.id, PDF, 'invoice.pdf');
    expect(pdf.status).toBe(415);
    expect(pdf.body.detail).toMatch(/^Photos must be JPEG, PNG or WebP images\. Share a PDF in the chat/);
    const empty = await upload(c, session.id, Buffer.alloc(0), 'empty.png');
    expect(empty.status).toBe(400);
    expect((await photosOf(session.id, c)).body.items).toEqual([]);
  });

  it('an ended request keeps its photos readable by its people, and takes no more', async () => {
    const { c, sessionId } = await requestWithPhoto();
    expect((await post(t, `/api/sessions/${sessionId}/end`, c)).status).toBe(200);
    expect((await photosOf(sessionId, c)).body.items).toHaveLength(1);
    expect((await upload(c, sessionId, png())).status).toBe(409);
    // No longer offered to anyone: a mechanic who could have taken it sees nothing.
    expect((await photosOf(sessionId, await mechanic(t))).status).toBe(404);
  });

  it('an unknown session is 404 for everyone but the anonymous, who are asked to sign in', async () => {
    const unknown = crypto.randomUUID();
    expect((await photosOf(unknown, await customer(t))).status).toBe(404);
    expect((await photosOf(unknown, boss)).status).toBe(404);
    expect((await photosOf(unknown)).status).toBe(401);
  });

  it('a chat photo of an accepted session stays the session’s people’s only', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await acceptedSession(t, c, m);
    const chatPhoto = await upload(m, session.id, png());
    expect(chatPhoto.body.purpose).toBe('chat');
    expect((await get(t, `/api/attachments/${chatPhoto.body.id}`, c)).status).toBe(200);
    expect((await get(t, `/api/attachments/${chatPhoto.body.id}`, await mechanic(t))).status).toBe(404);
    expect((await photosOf(session.id, m)).body.items).toEqual([]);
  });
});
