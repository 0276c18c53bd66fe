import { notifications as endpoints } from '../../shared/contract/index.js';
import { route, type App, type RouteDeps } from '../platform/routing.js';
import { getEmailPreferences, setEmailPreferences, unsubscribe } from './email-preferences.js';
import { listMyNotifications, markNotificationsRead } from './in-app-notifications.js';
import { listOutbox } from './notification.repository.js';
import { toOutboxEmailDto } from './notification.dto.js';
import { getWaitlistEntry, joinWaitlist, leaveWaitlist } from './waitlist.js';

const KIND_NAMES: Record<string, string> = {
  application_update: 'updates about your mechanic application',
  request_accepted: '“a mechanic accepted your request” emails',
  mechanic_no_show: '“your mechanic did not join” emails',
  report_ready: '“your report is ready” emails',
  weekly_statement: 'weekly earnings statements',
  new_request: 'alerts about new requests while you are off shift',
  mechanic_available: '“a mechanic is available” emails',
};

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — AutoDoctor</title></head>
<body style="font-family:Helvetica,Arial,sans-serif;background:#f8fafc;color:#0f172a;margin:0">
<main style="max-width:520px;margin:48px auto;background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:24px;line-height:1.5">
<h1 style="font-size:20px;margin-top:0">${title}</h1>${body}
<p><a href="/account" style="color:#1d4ed8">Choose which emails you get</a> · <a href="/" style="color:#1d4ed8">AutoDoctor</a></p>
</main></body></html>`;

export async function notificationRoutes(app: App, { ctx, auth }: RouteDeps): Promise<void> {
  route(app, endpoints.preferences, async (request) => getEmailPreferences(ctx, (await auth.requireActor(request)).id));
  route(app, endpoints.setPreferences, async (request) =>
    setEmailPreferences(ctx, await auth.requireActor(request), request.body.email),
  );

  route(app, endpoints.unsubscribePage, async (request, reply) => {
    const done = await unsubscribe(ctx, request.query.token).catch(() => null);
    reply.type('text/html; charset=utf-8');
    if (!done) {
      return reply
        .code(404)
        .send(
          page('This link does not work', '<p>The unsubscribe link is not valid — it may have been cut short.</p>'),
        );
    }
    return reply.send(
      page('You are unsubscribed', `<p>You will no longer get ${KIND_NAMES[done.kind] ?? 'these emails'}.</p>`),
    );
  });
  // RFC 8058: the mail client posts `List-Unsubscribe=One-Click` as a form; only this route reads forms.
  await app.register(async (scope: App) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    route(scope, endpoints.unsubscribeOneClick, async (request) => {
      await unsubscribe(ctx, request.query.token);
      return { ok: true as const };
    });
  });

  route(app, endpoints.list, async (request) => listMyNotifications(ctx, await auth.requireActor(request)));
  route(app, endpoints.markRead, async (request) =>
    markNotificationsRead(ctx, await auth.requireActor(request), request.body),
  );

  route(app, endpoints.waitlist, async (request) => getWaitlistEntry(ctx, await auth.requireActor(request)));
  route(app, endpoints.joinWaitlist, async (request) =>
    joinWaitlist(ctx, await auth.requireActor(request), request.body),
  );
  route(app, endpoints.leaveWaitlist, async (request) => leaveWaitlist(ctx, await auth.requireActor(request)));

  route(app, endpoints.outbox, async (request) => {
    await auth.requireActor(request, 'admin');
    const rows = await listOutbox(ctx.db, request.query);
    return { items: rows.map(toOutboxEmailDto) };
  });
}
