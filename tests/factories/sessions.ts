import type { TestApp } from '../helpers/test-app.js';
import { post } from '../helpers/http.js';
import { paidSessionBody, type TestUser } from './index.js';

/** Drives a session through the real HTTP routes to the wanted state. */
export async function pendingSession(t: TestApp, customer: TestUser, overrides: Record<string, unknown> = {}) {
  const reply = await post(t, '/api/sessions', customer, await paidSessionBody(t, customer, overrides));
  if (reply.status !== 201) throw new Error(`create failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as { id: string; status: string; version: number };
}

export async function acceptedSession(t: TestApp, customer: TestUser, mechanic: TestUser, overrides = {}) {
  const session = await pendingSession(t, customer, overrides);
  const reply = await post(t, `/api/sessions/${session.id}/accept`, mechanic);
  if (reply.status !== 200) throw new Error(`accept failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as { id: string; status: string };
}

export async function liveSession(t: TestApp, customer: TestUser, mechanic: TestUser, overrides = {}) {
  const session = await acceptedSession(t, customer, mechanic, overrides);
  await post(t, `/api/sessions/${session.id}/join`, customer);
  const reply = await post(t, `/api/sessions/${session.id}/join`, mechanic);
  if (reply.body.status !== 'live') throw new Error(`join failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as { id: string; status: string; startedAt: string };
}
