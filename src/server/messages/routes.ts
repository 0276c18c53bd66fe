import { IdParams, MessagesQuery, SendMessageBody } from '../../shared/api.js';
import type { App, RouteDeps } from '../platform/routing.js';
import { loadVisibleSession } from '../sessions/session-access.js';
import { listMessages, toMessageDto } from './message.repository.js';
import { sendMessage } from './send-message.js';

const tags = ['chat'];

export function messageRoutes(app: App, { ctx, auth }: RouteDeps): void {
  app.get(
    '/api/sessions/:id/messages',
    { schema: { tags, summary: 'Chat history', params: IdParams, querystring: MessagesQuery } },
    async (request) => {
      const actor = await auth.requireActor(request);
      await loadVisibleSession(ctx, actor, request.params.id);
      const rows = await listMessages(ctx.db, request.params.id, request.query.after, request.query.limit);
      return { items: rows.map(toMessageDto) };
    },
  );

  app.post(
    '/api/sessions/:id/messages',
    { schema: { tags, summary: 'Send a chat message', params: IdParams, body: SendMessageBody } },
    async (request, reply) => {
      const actor = await auth.requireActor(request);
      const { message, created } = await sendMessage(ctx, actor, request.params.id, request.body);
      return reply.status(created ? 201 : 200).send(toMessageDto(message));
    },
  );
}
