import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mechanics } from '../../src/server/db/schema.js';
import { PROFILE_PHOTO_LIMITS } from '../../src/shared/photos.js';
import { admin, customer, mechanic, workshop, type TestUser } from '../factories/index.js';
import { liveSession } from '../factories/sessions.js';
import { call, get, post, put, multipartFile } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/*
 * Mechanics' profiles (decision 014): the mechanic edits what customers read about them and sets
 * a photo; customers meet the profile in the room, on the report and in its PDF.
 */

let t: TestApp;
let boss: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  boss = await admin(t);
});
afterAll(() => t.close());

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const image = (magic: Buffer, size = 512) => Buffer.concat([magic, crypto.randomBytes(size - magic.length)]);

const uploadPhoto = (user: TestUser | undefined, content: Buffer, filename = 'me.png') =>
  call(t, 'PUT', '/api/mechanic/profile/photo', { as: user, ...multipartFile(filename, content) });

const profileBody = (overrides: Record<string, unknown> = {}) => ({
  displayName: 'Sam Lee',
  yearsExperience: 12,
  brands: ['Toyota', 'Honda', 'toyota '],
  bio: 'Twelve years at a Toyota dealer, now helping drivers remotely.',
  ...overrides,
});

const profileOf = (userId: string, as?: TestUser) => get(t, `/api/mechanics/${userId}/profile`, as);

async function rawGet(url: string, as?: TestUser) {
  const response = await t.app.inject({ method: 'GET', url, headers: as?.headers ?? {} });
  return { status: response.statusCode, headers: response.headers, body: response.rawPayload };
}

describe('a mechanic edits their profile', () => {
  it('starts from the application and keeps what is changed; makes are kept once each', async () => {
    const m = await mechanic(t);
    const before = await get(t, '/api/mechanic/profile', m);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ userId: m.id, displayName: 'Test Mechanic', photoUrl: null, ratingCount: 0 });
    const saved = await put(t, '/api/mechanic/profile', m, profileBody());
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      displayName: 'Sam Lee',
      yearsExperience: 12,
      brands: ['Toyota', 'Honda'],
      bio: 'Twelve years at a Toyota dealer, now helping drivers remotely.',
      serviceTier: 'virtual_only',
      workshop: null,
      recentReviews: [],
    });
    expect((await get(t, '/api/mechanic/profile', m)).body.displayName).toBe('Sam Lee');
    // The name they work under is the same one /api/me reports.
    expect((await get(t, '/api/me', m)).body.mechanic.displayName).toBe('Sam Lee');
  });

  it('refuses what breaks a rule, field by field, in words that follow the field’s label', async () => {
    const m = await mechanic(t);
    const refused = await put(
      t,
      '/api/mechanic/profile',
      m,
      profileBody({ displayName: ' S ', yearsExperience: -1, brands: ['x'.repeat(41)], bio: 'b'.repeat(2001) }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    const said = Object.fromEntries(
      refused.body.errors.map((e: { path: string; message: string }) => [e.path, e.message]),
    );
    expect(said).toMatchObject({
      'body.displayName': 'must be at least 2 characters',
      'body.yearsExperience': 'cannot be negative',
      'body.brands.0': 'must be at most 40 characters each',
      'body.bio': 'must be at most 2000 characters',
    });
    const fractional = await put(t, '/api/mechanic/profile', m, profileBody({ yearsExperience: 2.5 }));
    expect(fractional.body.errors).toEqual([
      { path: 'body.yearsExperience', message: 'must be a whole number of years' },
    ]);
    // The rating, the tier and the workshop are not the mechanic's to write.
    const sneaky = await put(
      t,
      '/api/mechanic/profile',
      m,
      profileBody({ ratingAvg: 5, serviceTier: 'workshop_partner' }),
    );
    expect(sneaky.status).toBe(400);
    expect((await get(t, '/api/mechanic/profile', m)).body.displayName).toBe('Test Mechanic');
  });

  it('only a mechanic edits a profile, and only their own: customers and admins 403, the anonymous 401', async () => {
    const c = await customer(t);
    for (const [who, user, status] of [
      ['a customer', c, 403],
      ['an admin', boss, 403],
      ['nobody signed in', undefined, 401],
    ] as const) {
      expect((await put(t, '/api/mechanic/profile', user, profileBody())).status, who).toBe(status);
      expect((await get(t, '/api/mechanic/profile', user)).status, who).toBe(status);
      expect((await uploadPhoto(user, image(PNG))).status, who).toBe(status);
      expect((await call(t, 'DELETE', '/api/mechanic/profile/photo', { as: user })).status, who).toBe(status);
    }
    expect((await put(t, '/api/mechanic/profile', c, profileBody())).body.detail).toBe(
      'Only mechanic accounts have a profile',
    );
  });
});

describe('the profile photo', () => {
  it('is stored as sent, served with its sniffed type, and replaced by a new one under a new address', async () => {
    const m = await mechanic(t);
    const content = image(PNG, 2048);
    const set = await uploadPhoto(m, content);
    expect(set.status).toBe(200);
    expect(set.body.photoUrl).toMatch(new RegExp(`^/api/mechanics/${m.id}/photo\\?v=[0-9a-f]{16}$`));
    const served = await rawGet(set.body.photoUrl, await customer(t));
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['content-security-policy']).toContain('sandbox');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.body.equals(content)).toBe(true);

    const replaced = await uploadPhoto(m, image(JPEG), 'new.jpg');
    expect(replaced.body.photoUrl).not.toBe(set.body.photoUrl);
    expect((await rawGet(replaced.body.photoUrl, m)).headers['content-type']).toBe('image/jpeg');
  });

  it('refuses bytes that are not a JPEG, PNG or WebP — whatever the name says — and files over the limit', async () => {
    const m = await mechanic(t);
    const text = await uploadPhoto(m, Buffer.from('<svg onload="alert(1)"></svg>'), 'me.png');
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      detail: 'Photos must be JPEG, PNG or WebP images.',
    });
    const pdf = await uploadPhoto(m, Buffer.from('%PDF-1.7\n'), 'cv.pdf');
    expect(pdf.status).toBe(415);
    const large = await uploadPhoto(m, image(PNG, PROFILE_PHOTO_LIMITS.fileBytes + 1));
    expect(large.status).toBe(413);
    expect(large.body.detail).toBe('Your photo must be at most 5 MB.');
    const empty = await uploadPhoto(m, Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect((await get(t, '/api/mechanic/profile', m)).body.photoUrl).toBeNull();
  });

  it('removed, the profile shows initials again and the photo address answers 404', async () => {
    const m = await mechanic(t);
    await uploadPhoto(m, image(PNG));
    const removed = await call(t, 'DELETE', '/api/mechanic/profile/photo', { as: m });
    expect(removed.status).toBe(200);
    expect(removed.body.photoUrl).toBeNull();
    expect((await get(t, `/api/mechanics/${m.id}/photo`, m)).status).toBe(404);
  });
});

describe('who reads a profile', () => {
  it('an approved mechanic’s: anyone signed in; the anonymous are asked to sign in', async () => {
    const m = await mechanic(t);
    await uploadPhoto(m, image(PNG));
    for (const [who, user, status] of [
      ['a customer', await customer(t), 200],
      ['another mechanic', await mechanic(t), 200],
      ['the mechanic', m, 200],
      ['an admin', boss, 200],
      ['nobody signed in', undefined, 401],
    ] as const) {
      expect((await profileOf(m.id, user)).status, who).toBe(status);
      expect((await rawGet(`/api/mechanics/${m.id}/photo`, user)).status, `${who}: photo`).toBe(status);
    }
  });

  it('an applicant’s: only themself and admins; a suspended one’s also their past customers', async () => {
    const applicant = await mechanic(t, { approval: 'pending' });
    expect((await profileOf(applicant.id, await customer(t))).status).toBe(404);
    expect((await profileOf(applicant.id, await mechanic(t))).status).toBe(404);
    expect((await profileOf(applicant.id, applicant)).status).toBe(200);
    expect((await profileOf(applicant.id, boss)).status).toBe(200);

    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    await post(t, `/api/sessions/${session.id}/end`, c);
    await t.database.db.update(mechanics).set({ approvalStatus: 'suspended' }).where(eq(mechanics.userId, m.id));
    expect((await profileOf(m.id, c)).status).toBe(200);
    expect((await profileOf(m.id, await customer(t))).status).toBe(404);
  });

  it('a customer id or an unknown id is no mechanic: 404', async () => {
    const c = await customer(t);
    expect((await profileOf(c.id, boss)).status).toBe(404);
    expect((await profileOf(crypto.randomUUID(), c)).status).toBe(404);
  });
});

describe('what the profile says', () => {
  it('tier and workshop, the average rating and the latest comments, newest first, without empty ones', async () => {
    const shop = await workshop(t, `Downtown ${crypto.randomBytes(3).toString('hex')}`);
    const m = await mechanic(t, { workshopId: shop.id });
    const reviews: [number, string | undefined][] = [
      [5, 'Found the fault in ten minutes.'],
      [3, undefined],
      [4, 'Clear advice, saved me a tow.'],
      [5, '   '],
      [4, 'Knew my Civic inside out.'],
      [5, 'Friendly and precise.'],
    ];
    for (const [rating, comment] of reviews) {
      const c = await customer(t);
      const session = await liveSession(t, c, m);
      await post(t, `/api/sessions/${session.id}/end`, c);
      t.clock.advanceSeconds(60);
      const reviewed = await post(t, `/api/sessions/${session.id}/review`, c, {
        rating,
        ...(comment ? { comment } : {}),
      });
      expect(reviewed.status).toBe(201);
    }
    const profile = (await profileOf(m.id, await customer(t))).body;
    expect(profile).toMatchObject({
      serviceTier: 'workshop_partner',
      workshop: { id: shop.id, name: shop.name, city: 'Springfield' },
      ratingCount: 6,
      ratingAvg: 4.33,
    });
    expect(profile.recentReviews.map((r: { comment: string }) => r.comment)).toEqual([
      'Friendly and precise.',
      'Knew my Civic inside out.',
      'Clear advice, saved me a tow.',
    ]);
    expect(profile.recentReviews[0]).toMatchObject({ rating: 5, createdAt: expect.any(String) });
  });

  it('the report PDF is signed with the mechanic’s name and tier', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    await put(t, '/api/mechanic/profile', m, profileBody({ displayName: 'Riley Torque' }));
    const session = await liveSession(t, c, m);
    await post(t, `/api/sessions/${session.id}/end`, c);
    const report = await put(t, `/api/sessions/${session.id}/report`, m, {
      summary: 'Front brake pads are worn.',
      findings: 'Grinding when braking; pads near the wear indicator.',
      severity: 'soon',
      recommendations: [],
      followUp: 'repair_quote',
      submit: true,
    });
    expect(report.status).toBe(200);
    const pdf = await rawGet(`/api/sessions/${session.id}/report.pdf`, c);
    expect(pdf.status).toBe(200);
    const parser = new PDFParse({ data: new Uint8Array(pdf.body) });
    try {
      const text = (await parser.getText()).text.replace(/\s+/g, ' ');
      expect(text).toContain('Report by Riley Torque, Remote mechanic');
    } finally {
      await parser.destroy();
    }
  });
});
