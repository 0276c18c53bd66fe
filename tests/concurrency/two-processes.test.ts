import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, mechanic, paidSessionBody } from '../factories/index.js';
import { liveSession } from '../factories/sessions.js';
import { post } from '../helpers/http.js';
import { createTestApp, isPostgres, openTestDatabase, TEST_AUTH_SECRET, type TestApp } from '../helpers/test-app.js';
import { connect } from '../helpers/ws-client.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { sharedSecret } from '../../src/server/auth/auth.repository.js';

/*
 * Two server processes over one PostgreSQL: this test process (app A) and a real child process
 * running `src/server/main.ts` (app B). Events written through A reach sockets held by B through
 * LISTEN/NOTIFY.
 */
describe.runIf(isPostgres())('two app processes sharing one database', () => {
  let t: TestApp;
  let server: ServerProcess;
  let baseB: string;

  beforeAll(async () => {
    const database = await openTestDatabase();
    t = await createTestApp({ database, realClock: true });
    // No AUTH_SECRET for the second process: it finds the first one's secret in the database.
    await sharedSecret(t.database.db, 'auth_secret', TEST_AUTH_SECRET);
    server = await startServerProcess({ DATABASE_URL: database.url!, AUTH_SECRET: '' });
    baseB = server.base;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await t?.close();
  });

  it('a message posted through one process arrives on a socket held by the other', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const onB = await connect(baseB, m.headers);
    onB.send({ type: 'subscribe', topic: `session:${session.id}` });
    await onB.next((f) => f.type === 'subscribed');
    const sent = await post(t, `/api/sessions/${session.id}/messages`, c, {
      body: 'via A',
      clientId: crypto.randomUUID(),
    });
    const frame = await onB.next((f) => f.event?.kind === 'message.created');
    expect(frame.event.message.id).toBe(sent.body.id);
    await onB.close();
  });

  it('a queue event reaches a mechanic connected to the other process', async () => {
    const m = await mechanic(t);
    const onB = await connect(baseB, m.headers);
    onB.send({ type: 'subscribe', topic: 'queue' });
    await onB.next((f) => f.type === 'subscribed');
    const c = await customer(t);
    const created = await post(t, '/api/sessions', c, await paidSessionBody(t, c));
    await onB.next((f) => f.event?.kind === 'queue.added' && f.event.session.id === created.body.id);
    await post(t, `/api/sessions/${created.body.id}/accept`, await mechanic(t));
    await onB.next((f) => f.event?.kind === 'queue.removed' && f.event.sessionId === created.body.id);
    await onB.close();
  });
});
