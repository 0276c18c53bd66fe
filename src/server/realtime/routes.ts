import websocket from '@fastify/websocket';
import { MAX_FRAME_BYTES } from '../../shared/realtime.js';
import { credentialOf } from '../auth/session-cache.js';
import type { App, RouteDeps } from '../platform/routing.js';
import type { Hub } from './hub.js';

/** `GET /api/ws`: the same authentication as HTTP (cookie or bearer), checked before the upgrade. */
export async function realtimeRoutes(app: App, { auth }: RouteDeps, hub: Hub): Promise<void> {
  await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  // A refused upgrade (401, 403) must not leave the client's socket open: nothing else will use it.
  app.addHook('onResponse', async (request, reply) => {
    if (request.headers.upgrade && reply.statusCode !== 101 && request.routeOptions.url === '/api/ws') {
      request.raw.socket?.destroy();
    }
  });
  app.get(
    '/api/ws',
    {
      websocket: true,
      schema: { hide: true },
      preValidation: async (request) => {
        await auth.requireActor(request);
        // Browsers send cookies on cross-site WebSocket upgrades too: refuse foreign pages.
        auth.assertTrustedOrigin(request);
      },
    },
    async (socket, request) => {
      const actor = await auth.currentActor(request);
      const credential = credentialOf(request.headers);
      if (!actor || !credential) return socket.close(4401, 'unauthenticated');
      hub.attach(socket, actor, credential);
    },
  );
}
