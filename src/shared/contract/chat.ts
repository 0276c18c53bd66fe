import { z } from 'zod';
import { ATTACHMENT_PURPOSES } from '../photos.js';
import { endpoint } from './define.js';
import { Id, IdParams, itemsOf, Timestamp } from './common.js';

const tags = ['chat'];

export const Message = z.object({
  id: Id,
  sessionId: Id,
  seq: z.number().int(),
  senderId: Id,
  body: z.string(),
  attachmentIds: z.array(Id),
  clientId: Id,
  createdAt: Timestamp,
});
export type Message = z.infer<typeof Message>;

export const Attachment = z.object({
  id: Id,
  sessionId: Id,
  uploaderId: Id,
  filename: z.string(),
  contentType: z.enum(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
  size: z.number().int(),
  sha256: z.string(),
  /** `intake`: added by the customer while the request waited (a photo from the request); `chat`: the rest. */
  purpose: z.enum(ATTACHMENT_PURPOSES),
  createdAt: Timestamp,
});
export type Attachment = z.infer<typeof Attachment>;

export const MessagesQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const SendMessageBody = z.strictObject({
  body: z.string().trim().min(1).max(4000),
  clientId: Id,
  attachmentIds: z.array(Id).max(10).optional(),
});
export type SendMessageBody = z.infer<typeof SendMessageBody>;

export const chat = {
  messages: endpoint({
    method: 'GET',
    path: '/api/sessions/:id/messages',
    summary: 'Chat history',
    tags,
    params: IdParams,
    query: MessagesQuery,
    responses: { 200: itemsOf(Message) },
  }),
  send: endpoint({
    method: 'POST',
    path: '/api/sessions/:id/messages',
    summary: 'Send a chat message; a repeated clientId answers the original',
    tags,
    params: IdParams,
    body: SendMessageBody,
    responses: { 201: Message, 200: Message },
  }),
  upload: endpoint({
    method: 'POST',
    path: '/api/sessions/:id/attachments',
    summary:
      'Upload a photo or PDF (multipart, one file in the field "file", ≤ 10 MiB); the customer’s uploads while the request is pending are its photos (images only, at most 6)',
    tags,
    params: IdParams,
    multipart: true,
    responses: { 201: Attachment },
  }),
  intakePhotos: endpoint({
    method: 'GET',
    path: '/api/sessions/:id/intake-photos',
    summary:
      'Photos from the request: what the customer added before a mechanic accepted (also for the mechanics a pending request is offered to)',
    tags,
    params: IdParams,
    responses: { 200: itemsOf(Attachment) },
  }),
  download: endpoint({
    method: 'GET',
    path: '/api/attachments/:id',
    summary: 'Download an attachment (its sniffed content type)',
    tags,
    params: IdParams,
    produces: 'application/octet-stream',
    responses: {},
  }),
};
