import { z } from 'zod';
import type { Message } from './contract/chat.js';
import type { Notification } from './contract/notifications.js';
import type { Session } from './contract/sessions.js';

/*
 * The realtime protocol of api.md (`GET /api/ws`), typed once for the server and the web app.
 */

export const MAX_FRAME_BYTES = 64 * 1024;
export const MAX_SIGNAL_BYTES = 32 * 1024;

// Exact, lower case: ids are stored lower case, and the hub matches topics as strings.
const Topic = z
  .string()
  .regex(
    /^(queue|user|session:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
    'topic is queue, user or session:<id>',
  );

export const ClientFrame = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('subscribe'), topic: Topic, after: z.number().int().min(0).optional() }),
  z.strictObject({ type: z.literal('unsubscribe'), topic: Topic }),
  z.strictObject({ type: z.literal('typing'), sessionId: z.uuid() }),
  z.strictObject({ type: z.literal('rtc.signal'), sessionId: z.uuid(), data: z.unknown() }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/**
 * Events inside `{ type: "event" }` frames, by kind: one map for the hub that sends them and the
 * web app that receives them. Durable ones (session, message, queue, timer) carry a cursor.
 */
export type RealtimeEventMap = {
  'session.updated': { session: Session };
  'message.created': { message: Message };
  'queue.added': { session: Session };
  'queue.removed': { sessionId: string };
  presence: { userId: string; connected: boolean };
  typing: { userId: string };
  'timer.warning': { minutesLeft: number };
  'rtc.signal': { from: string; data: unknown };
  /** On the `user` topic: a new in-app notification, and how many are unread now. */
  'notification.created': { notification: Notification; unread: number };
};

export type RealtimeEventKind = keyof RealtimeEventMap;
export type RealtimeEvent = { [K in RealtimeEventKind]: { kind: K } & RealtimeEventMap[K] }[RealtimeEventKind];
/** One kind of event, e.g. `EventOf<'message.created'>`. */
export type EventOf<K extends RealtimeEventKind> = Extract<RealtimeEvent, { kind: K }>;

export type ServerFrame =
  | { type: 'subscribed'; topic: string; cursor: number; iceServers?: unknown[] }
  /** `reason` when the server ended it: the socket's access to the topic ended. */
  | { type: 'unsubscribed'; topic: string; reason?: string }
  | { type: 'event'; topic: string; cursor?: number; event: RealtimeEvent }
  | { type: 'pong'; serverTime: string }
  | { type: 'error'; code: string; detail?: string; topic?: string };
