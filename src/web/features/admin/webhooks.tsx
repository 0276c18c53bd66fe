import { useRef, useState, type FormEvent } from 'react';
import { webhooks, type CreatedWebhookEndpoint, type WebhookEndpoint } from '../../../shared/contract';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../../shared/domain';
import { call } from '../../lib/api';
import { loadSentence } from '../../lib/form-errors';
import { WEBHOOK } from '../../lib/form-words';
import { formatTime } from '../../lib/format';
import { navigate, usePath } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { useFormErrors } from '../../lib/use-form-errors';
import { ErrorSummary } from '../../components/error-summary';
import { Empty, Field, Notice, PageTitle, Spinner } from '../../components/ui';
import { AdminShell } from './admin-shell';
import { DeleteWebhookDialog } from './delete-webhook-dialog';
import { Section } from './section';
import { WebhookDeliveries } from './webhook-deliveries';
import { WEBHOOK_EVENT_LABEL } from './webhook-words';

/**
 * Integrators' webhooks (notifications.md §6): the endpoints, adding one (its secret shown once),
 * deleting one, and the delivery log of the one chosen (`?endpoint=<id>`, so it survives a reload).
 */
export function Webhooks() {
  const selectedId = new URLSearchParams(usePath().split('?')[1] ?? '').get('endpoint');
  const { data, error, reload } = useEndpoint(webhooks.list, {});
  const [created, setCreated] = useState<CreatedWebhookEndpoint | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const selected = data?.items.find((e) => e.id === selectedId) ?? null;

  return (
    <AdminShell>
      <PageTitle>Webhooks</PageTitle>
      <div className="space-y-6">
        <p className="text-sm text-slate-600">
          Integrators receive the lifecycle events they subscribe to as signed JSON (Standard Webhooks), retried for up
          to 24 hours until their endpoint answers 2xx. docs/webhooks.md tells them how to verify a message.
        </p>
        {created && <SecretOnce endpoint={created} onDone={() => setCreated(null)} />}
        {notice && <Notice tone="success">{notice}</Notice>}
        <AddEndpoint
          onCreated={(endpoint) => {
            setNotice(null);
            setCreated(endpoint);
            void reload();
          }}
        />
        <Section title="Endpoints">
          {error && <Notice tone="error">{loadSentence('The endpoints could not be loaded.', error)}</Notice>}
          {!data ? (
            !error && <Spinner />
          ) : data.items.length === 0 ? (
            <Empty>No endpoints yet. Add one above to start sending events.</Empty>
          ) : (
            <ul className="divide-y divide-slate-100">
              {data.items.map((e) => (
                <li
                  key={e.id}
                  data-endpoint-id={e.id}
                  className={`flex flex-wrap items-start justify-between gap-3 py-3 ${e.id === selectedId ? 'bg-blue-50/60' : ''}`}
                >
                  <div className="min-w-0 flex-1">
                    <p className="break-all font-mono text-sm">{e.url}</p>
                    <p className="mt-1 flex flex-wrap gap-1">
                      {e.events.map((event) => (
                        <span
                          key={event}
                          className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700"
                        >
                          {event}
                        </span>
                      ))}
                    </p>
                    <p className="mt-1 text-xs text-slate-500">Added {formatTime(e.createdAt)}</p>
                  </div>
                  <div className="flex gap-2">
                    <button
                      type="button"
                      className="btn-secondary px-3 py-1"
                      aria-pressed={e.id === selectedId}
                      onClick={() =>
                        navigate(e.id === selectedId ? '/admin/webhooks' : `/admin/webhooks?endpoint=${e.id}`)
                      }
                    >
                      {e.id === selectedId ? 'Hide deliveries' : 'Deliveries'}
                    </button>
                    <button type="button" className="btn-danger px-3 py-1" onClick={() => setDeleting(e)}>
                      Delete
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Section>
        {selected && <WebhookDeliveries key={selected.id} endpoint={selected} />}
        {selectedId && data && !selected && (
          <Notice tone="info">That endpoint no longer exists: it was deleted.</Notice>
        )}
      </div>
      {deleting && (
        <DeleteWebhookDialog
          endpoint={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            setNotice(`The endpoint ${deleting.url} was deleted. Nothing more is sent to it.`);
            if (created?.id === deleting.id) setCreated(null);
            if (deleting.id === selectedId) navigate('/admin/webhooks', true);
            void reload();
          }}
        />
      )}
    </AdminShell>
  );
}

function AddEndpoint({ onCreated }: { onCreated: (endpoint: CreatedWebhookEndpoint) => void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([]);
  const [sending, setSending] = useState(false);
  const form = useFormErrors(WEBHOOK);
  const eventsId = form.idOf('events');

  const toggle = (event: WebhookEvent, on: boolean) =>
    setEvents((current) => (on ? [...current, event] : current.filter((e) => e !== event)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending || !form.check({ url, events })) return;
    setSending(true);
    try {
      const endpoint = await call(webhooks.create, {
        // In the list's order, whatever order they were ticked in.
        body: { url: url.trim(), events: WEBHOOK_EVENTS.filter((e) => events.includes(e)) },
      });
      setUrl('');
      setEvents([]);
      onCreated(endpoint);
    } catch (caught) {
      form.fail(caught);
    } finally {
      setSending(false);
    }
  };

  return (
    <Section title="Add an endpoint">
      <form
        onSubmit={(e) => void submit(e)}
        onChange={form.onChange}
        noValidate
        className="space-y-4"
        aria-label="Add a webhook endpoint"
      >
        <ErrorSummary form={form} level={3} />
        <Field
          label="URL"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://example.com/hooks/autodoctor"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          {...form.field('url')}
          hint="https:// is best. Addresses inside a private network (localhost, 10.x, 192.168.x …) are refused."
          disabled={sending}
        />
        <fieldset data-field="events" aria-describedby={form.errors.events ? `${eventsId}-msg` : undefined}>
          <legend className="label">Events</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {WEBHOOK_EVENTS.map((e, index) => (
              <label key={e} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  id={index === 0 ? eventsId : undefined}
                  className="mt-0.5"
                  checked={events.includes(e)}
                  onChange={(change) => toggle(e, change.target.checked)}
                  disabled={sending}
                />
                <span>
                  <span className="font-mono text-xs">{e}</span>
                  <span className="block text-slate-600">{WEBHOOK_EVENT_LABEL[e]}</span>
                </span>
              </label>
            ))}
          </div>
          {form.errors.events && (
            <p id={`${eventsId}-msg`} className="mt-1 text-xs font-medium text-red-700">
              {form.errors.events}
            </p>
          )}
        </fieldset>
        <button className="btn-primary" disabled={sending}>
          {sending ? 'Adding…' : 'Add endpoint'}
        </button>
      </form>
    </Section>
  );
}

/** The new endpoint's signing secret: shown this once, with a copy button and a warning. */
function SecretOnce({ endpoint, onDone }: { endpoint: CreatedWebhookEndpoint; onDone: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(endpoint.secret);
      setCopied('yes');
    } catch {
      // No clipboard permission (or no secure context): select it for the keyboard's copy.
      input.current?.select();
      setCopied('no');
    }
  };
  return (
    <section
      aria-labelledby="webhook-secret-title"
      className="space-y-3 rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-950 sm:p-6"
    >
      <h2 id="webhook-secret-title" className="font-bold">
        Endpoint added — copy its signing secret now
      </h2>
      <p className="break-all text-sm">
        Events to <span className="font-mono text-xs">{endpoint.url}</span> are signed with this secret. Give it to
        whoever runs the receiver so they can verify each message. <strong>It will not be shown again</strong>: if it is
        lost, delete the endpoint and add it anew.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="webhook-secret" className="sr-only">
          Signing secret
        </label>
        <input
          id="webhook-secret"
          ref={input}
          readOnly
          value={endpoint.secret}
          onFocus={(e) => e.target.select()}
          className="input min-w-0 flex-1 font-mono text-xs"
        />
        <button type="button" className="btn-primary" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : 'Copy secret'}
        </button>
        <button type="button" className="btn-secondary" onClick={onDone}>
          I have saved it
        </button>
      </div>
      <p role="status" className="text-xs">
        {copied === 'yes'
          ? 'The secret is on your clipboard.'
          : copied === 'no'
            ? 'The browser did not allow copying: the secret is selected, press Ctrl+C (⌘C on a Mac).'
            : ''}
      </p>
    </section>
  );
}
