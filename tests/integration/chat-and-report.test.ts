import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mechanics, sessionParticipants } from '../../src/server/db/schema.js';
import { admin, customer, mechanic, type TestUser } from '../factories/index.js';
import { acceptedSession, liveSession, pendingSession } from '../factories/sessions.js';
import { get, post, put } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let boss: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  boss = await admin(t);
});
afterAll(() => t.close());

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

function multipart(filename: string, bytes: Buffer, contentType = 'image/png') {
  const boundary = '----autodoctor' + Math.random().toString(16).slice(2);
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, bytes, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(sessionId: string, as: TestUser, filename: string, bytes: Buffer) {
  const { payload, headers } = multipart(filename, bytes);
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/sessions/${sessionId}/attachments`,
    headers: { ...headers, ...as.headers },
    payload,
  });
  return { status: response.statusCode, body: response.json() };
}

describe('messages', () => {
  it('flow both ways with gapless seq; a retried clientId returns the original', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const clientId = crypto.randomUUID();
    const first = await post(t, `/api/sessions/${session.id}/messages`, c, { body: 'Hi, brakes grind', clientId });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ seq: 1, senderId: c.id, body: 'Hi, brakes grind', attachmentIds: [] });
    const retry = await post(t, `/api/sessions/${session.id}/messages`, c, { body: 'Hi, brakes grind', clientId });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    const reply = await post(t, `/api/sessions/${session.id}/messages`, m, {
      body: 'Check the pads',
      clientId: crypto.randomUUID(),
    });
    expect(reply.body.seq).toBe(2);
    const history = await get(t, `/api/sessions/${session.id}/messages`, c);
    expect(history.body.items.map((x: { seq: number }) => x.seq)).toEqual([1, 2]);
    const after = await get(t, `/api/sessions/${session.id}/messages?after=1`, m);
    expect(after.body.items.map((x: { body: string }) => x.body)).toEqual(['Check the pads']);
  });

  it('a send retried after the session ended returns the original, not SESSION_CLOSED', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    const clientId = crypto.randomUUID();
    const first = await post(t, `/api/sessions/${session.id}/messages`, c, { body: 'last words', clientId });
    await post(t, `/api/sessions/${session.id}/end`, c);
    const retry = await post(t, `/api/sessions/${session.id}/messages`, c, { body: 'last words', clientId });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    const fresh = await post(t, `/api/sessions/${session.id}/messages`, c, {
      body: 'too late',
      clientId: crypto.randomUUID(),
    });
    expect(fresh.body.code).toBe('SESSION_CLOSED');
  });

  it('chat opens with acceptance: pending is INVALID_TRANSITION, accepted works', async () => {
    const c = await customer(t);
    const pending = await pendingSession(t, c);
    const early = await post(t, `/api/sessions/${pending.id}/messages`, c, {
      body: 'anyone?',
      clientId: crypto.randomUUID(),
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('INVALID_TRANSITION');
    await post(t, `/api/sessions/${pending.id}/end`, c);
    const accepted = await acceptedSession(t, c, await mechanic(t));
    const ok = await post(t, `/api/sessions/${accepted.id}/messages`, c, {
      body: 'hello',
      clientId: crypto.randomUUID(),
    });
    expect(ok.status).toBe(201);
  });

  it('a message marks its sender present, at most once every few seconds', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const seenAt = async () => {
      const [row] = await t.database.db
        .select()
        .from(sessionParticipants)
        .where(and(eq(sessionParticipants.sessionId, session.id), eq(sessionParticipants.userId, c.id)));
      return row!.lastSeenAt!.getTime();
    };
    const send = (body: string) =>
      post(t, `/api/sessions/${session.id}/messages`, c, { body, clientId: crypto.randomUUID() });
    t.clock.advanceSeconds(120);
    expect((await send('still here')).status).toBe(201);
    expect(await seenAt()).toBe(t.clock.now().getTime());
    const first = t.clock.now().getTime();
    t.clock.advanceSeconds(2);
    await send('and here');
    expect(await seenAt()).toBe(first); // throttled: no write for every message
    t.clock.advanceSeconds(4);
    await send('and now');
    expect(await seenAt()).toBe(t.clock.now().getTime());
  });

  it('HTML and SQL in messages are stored as the text they are', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    const body = `<img src=x onerror=alert(1)> '; DROP TABLE sessions; --`;
    const sent = await post(t, `/api/sessions/${session.id}/messages`, c, { body, clientId: crypto.randomUUID() });
    expect(sent.body.body).toBe(body);
    expect((await get(t, `/api/sessions/${session.id}/messages`, c)).body.items[0].body).toBe(body);
  });

  it('admins read the chat but do not post; strangers get 404', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    expect((await get(t, `/api/sessions/${session.id}/messages`, boss)).status).toBe(200);
    expect(
      (await post(t, `/api/sessions/${session.id}/messages`, boss, { body: 'hi', clientId: crypto.randomUUID() }))
        .status,
    ).toBe(403);
    expect(
      (
        await post(t, `/api/sessions/${session.id}/messages`, await customer(t), {
          body: 'hi',
          clientId: crypto.randomUUID(),
        })
      ).status,
    ).toBe(404);
  });
});

describe('attachments', () => {
  it('stores a photo sniffed from its bytes, serves it to participants only, and links it in a message', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const uploaded = await upload(session.id, c, 'dashboard.jpg', PNG);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ contentType: 'image/png', filename: 'dashboard.png', size: PNG.length });
    const message = await post(t, `/api/sessions/${session.id}/messages`, c, {
      body: 'photo of the light',
      clientId: crypto.randomUUID(),
      attachmentIds: [uploaded.body.id],
    });
    expect(message.body.attachmentIds).toEqual([uploaded.body.id]);
    const download = await t.app.inject({
      method: 'GET',
      url: `/api/attachments/${uploaded.body.id}`,
      headers: m.headers,
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toBe('inline; filename="dashboard.png"');
    expect(download.rawPayload.equals(PNG)).toBe(true);
    const stranger = await get(t, `/api/attachments/${uploaded.body.id}`, await customer(t));
    expect(stranger.status).toBe(404);
  });

  it('refuses text named .png (415), empty files (400), and attachments from another session', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    const fake = await upload(session.id, c, 'photo.png', Buffer.from('just some text, not an image'));
    expect(fake.status).toBe(415);
    expect(fake.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const empty = await upload(session.id, c, 'empty.png', Buffer.alloc(0));
    expect(empty.status).toBe(400);
    const foreign = await post(t, `/api/sessions/${session.id}/messages`, c, {
      body: 'x',
      clientId: crypto.randomUUID(),
      attachmentIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(foreign.status).toBe(400);
  });

  it('refuses a JSON body on the upload route and files over 10 MiB', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    expect((await post(t, `/api/sessions/${session.id}/attachments`, c, { file: 'x' })).status).toBe(415);
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024 + 1)]);
    const tooLarge = await upload(session.id, c, 'big.png', big);
    expect(tooLarge.status).toBe(413);
  });
});

const reportBody = (submit: boolean) => ({
  summary: 'Front pads worn to the backing plate.',
  findings: 'Grinding on braking, worse when cold. Pads below 2 mm.',
  severity: 'urgent',
  recommendations: [
    {
      title: 'Replace front pads and rotors',
      urgency: 'urgent',
      estimatedCostMinCents: 25000,
      estimatedCostMaxCents: 40000,
    },
  ],
  followUp: 'repair_quote',
  submit,
});

describe('report and review', () => {
  it('the mechanic drafts then submits; the customer sees it only once submitted; submitted is read-only', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    await post(t, `/api/sessions/${session.id}/end`, c);
    const draft = await put(t, `/api/sessions/${session.id}/report`, m, reportBody(false));
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ status: 'draft', submittedAt: null });
    expect((await get(t, `/api/sessions/${session.id}/report`, c)).status).toBe(404);
    expect((await get(t, `/api/sessions/${session.id}/report`, m)).body.status).toBe('draft');
    const submitted = await put(t, `/api/sessions/${session.id}/report`, m, reportBody(true));
    expect(submitted.body.status).toBe('submitted');
    const seen = await get(t, `/api/sessions/${session.id}/report`, c);
    expect(seen.body).toMatchObject({ severity: 'urgent', followUp: 'repair_quote' });
    expect(seen.body.recommendations[0].estimatedCostMaxCents).toBe(40000);
    expect((await get(t, `/api/sessions/${session.id}/report`, boss)).status).toBe(200);
    const edit = await put(t, `/api/sessions/${session.id}/report`, m, reportBody(false));
    expect(edit.status).toBe(409);
    const events = await get(t, `/api/sessions/${session.id}/events`, c);
    expect(events.body.items.at(-1).type).toBe('report.submitted');
  });

  it('only the assigned mechanic reports, and only on a session that was live', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const accepted = await acceptedSession(t, c, m);
    expect((await put(t, `/api/sessions/${accepted.id}/report`, m, reportBody(false))).status).toBe(409);
    expect((await put(t, `/api/sessions/${accepted.id}/report`, c, reportBody(false))).status).toBe(403);
    expect((await put(t, `/api/sessions/${accepted.id}/report`, await mechanic(t), reportBody(false))).status).toBe(
      404,
    );
  });

  it('rejects a cost range whose minimum exceeds its maximum', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const body = reportBody(false);
    body.recommendations[0]!.estimatedCostMinCents = 50000;
    expect((await put(t, `/api/sessions/${session.id}/report`, m, body)).status).toBe(400);
  });

  it('the customer reviews a completed session once; the mechanic’s rating follows', async () => {
    const m = await mechanic(t);
    for (const rating of [5, 2]) {
      const c = await customer(t);
      const session = await liveSession(t, c, m);
      expect((await post(t, `/api/sessions/${session.id}/review`, c, { rating })).status).toBe(409);
      await post(t, `/api/sessions/${session.id}/end`, c);
      expect((await post(t, `/api/sessions/${session.id}/review`, m, { rating: 5 })).status).toBe(403);
      const review = await post(t, `/api/sessions/${session.id}/review`, c, { rating, comment: 'thanks' });
      expect(review.status).toBe(201);
      expect((await post(t, `/api/sessions/${session.id}/review`, c, { rating })).status).toBe(409);
    }
    const [row] = await t.database.db.select().from(mechanics).where(eq(mechanics.userId, m.id));
    expect(row).toMatchObject({ ratingCount: 2, ratingAvg: 3.5 });
  });
});
