import { chat } from '../../shared/contract/index.js';
import { route, type App, type RouteDeps } from '../platform/routing.js';
import { loadVisibleSession } from '../sessions/session-access.js';
import { toMessageDto } from './message.dto.js';
import { listMessages } from './message.repository.js';
import { sendMessage } from './send-message.js';

export function messageRoutes(app: App, { ctx, auth }: RouteDeps): void {
  route(app, chat.messages, async (request) => {
    const actor = await auth.requireActor(request);
    await loadVisibleSession(ctx, actor, request.params.id);
    const rows = await listMessages(ctx.db, request.params.id, request.query.after, request.query.limit);
    return { items: rows.map(toMessageDto) };
  });

  route(app, chat.send, async (request, reply) => {
    const actor = await auth.requireActor(request);
    const { message, created } = await sendMessage(ctx, actor, request.params.id, request.body);
    reply.code(created ? 201 : 200);
    return toMessageDto(message);
  });
}
