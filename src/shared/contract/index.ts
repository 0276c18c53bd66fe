/*
 * The whole HTTP contract (api.md, payments.md §7, notifications.md §7, vehicles.md §4), one
 * module per area. Routes are registered from these descriptions and the web app's client calls
 * them, so the server, the OpenAPI document and the browser cannot drift apart.
 */
export * from './define.js';
export * from './common.js';
export * from './accounts.js';
export * from './sessions.js';
export * from './chat.js';
export * from './reports.js';
export * from './admin.js';
export * from './payments.js';
export * from './notifications.js';
export * from './trouble-codes.js';
export * from './vehicles.js';
export * from './webhooks.js';
export * from './documents.js';
export * from './profiles.js';

import { accounts } from './accounts.js';
import { admin } from './admin.js';
import { chat } from './chat.js';
import { documents } from './documents.js';
import { notifications } from './notifications.js';
import { payments } from './payments.js';
import { profiles } from './profiles.js';
import type { Endpoint } from './define.js';
import { reports } from './reports.js';
import { sessions } from './sessions.js';
import { vehicles } from './vehicles.js';
import { webhooks } from './webhooks.js';

/** Every endpoint this server serves (the auth library's own are described in `authLibrary`). */
export const SERVED_ENDPOINTS: readonly Endpoint[] = [
  accounts,
  profiles,
  sessions,
  chat,
  reports,
  admin,
  payments,
  notifications,
  vehicles,
  documents,
  webhooks,
].flatMap((area) => Object.values(area));
