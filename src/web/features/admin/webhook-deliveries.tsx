import { useEffect, useState } from 'react';
import { webhooks, type WebhookDelivery, type WebhookEndpoint } from '../../../shared/contract';
import { call } from '../../lib/api';
import { loadSentence, problemSentence } from '../../lib/form-errors';
import { formatTime } from '../../lib/format';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Notice, Spinner } from '../../components/ui';
import { Section } from './section';
import { DELIVERY_STATUS_LABEL, DELIVERY_STATUS_TONE } from './webhook-words';

/** While a delivery is pending (a retry or redelivery to come), the log looks again this often. */
const REFRESH_MS = 5_000;

/** One endpoint's delivery log, newest first: every attempt's answer, time and error; redeliver. */
export function WebhookDeliveries({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { data, error, loading, reload } = useEndpoint(webhooks.deliveries, {
    params: { id: endpoint.id },
    query: { limit: 50 },
  });
  const [redelivering, setRedelivering] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  const hasPending = Boolean(data?.items.some((d) => d.status === 'pending'));
  useEffect(() => {
    if (!hasPending) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [hasPending, reload]);

  const redeliver = async (delivery: WebhookDelivery) => {
    setRedelivering(delivery.id);
    setMessage(null);
    try {
      await call(webhooks.redeliver, { params: { id: delivery.id } });
      setMessage({
        tone: 'success',
        text: `The ${delivery.eventType} event is being sent again, with the same webhook-id. Its attempt appears here in a moment.`,
      });
      await reload();
    } catch (caught) {
      setMessage({
        tone: 'error',
        text: `It could not be sent again. ${problemSentence(caught, {
          INVALID_TRANSITION: 'Its endpoint was deleted, so nothing is sent to it any more.',
        })}`,
      });
    } finally {
      setRedelivering(null);
    }
  };

  return (
    <Section
      title="Delivery log"
      action={
        <button type="button" className="btn-secondary px-3 py-1" onClick={() => void reload()} disabled={loading}>
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      }
    >
      <p className="mb-3 text-sm text-slate-600">
        Events sent to <span className="break-all font-mono text-xs">{endpoint.url}</span>, newest first.
      </p>
      <div className="space-y-3">
        {message && <Notice tone={message.tone}>{message.text}</Notice>}
        {error && <Notice tone="error">{loadSentence('The delivery log could not be loaded.', error)}</Notice>}
        {!data ? (
          !error && <Spinner />
        ) : data.items.length === 0 ? (
          <Empty>Nothing has been sent to this endpoint yet. Events it subscribes to appear here as they happen.</Empty>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-50 text-slate-600">
                <tr>
                  <th scope="col" className="p-3 font-medium">
                    Event
                  </th>
                  <th scope="col" className="p-3 font-medium">
                    Status
                  </th>
                  <th scope="col" className="p-3 font-medium">
                    Attempts
                  </th>
                  <th scope="col" className="p-3">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((d) => (
                  <tr key={d.id} data-delivery-id={d.id} className="border-t border-slate-100 align-top">
                    <td className="p-3">
                      <span className="block font-mono text-xs">{d.eventType}</span>
                      <span className="block whitespace-nowrap text-xs text-slate-500">{formatTime(d.createdAt)}</span>
                      <span className="block font-mono text-[11px] text-slate-400" title="webhook-id">
                        {d.id}
                      </span>
                    </td>
                    <td className="whitespace-nowrap p-3">
                      <span
                        className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${DELIVERY_STATUS_TONE[d.status]}`}
                      >
                        {DELIVERY_STATUS_LABEL[d.status]}
                      </span>
                    </td>
                    <td className="min-w-64 p-3">
                      {d.attempts.length === 0 ? (
                        <span className="text-slate-500">Not tried yet</span>
                      ) : (
                        <ol className="space-y-1">
                          {d.attempts.map((a, index) => (
                            <li key={index} className="text-xs">
                              <span
                                className={`font-semibold ${a.error ? 'text-red-800' : 'text-green-800'}`}
                                title={a.statusCode === null ? 'No HTTP answer' : `HTTP ${a.statusCode}`}
                              >
                                {a.statusCode ?? 'No answer'}
                              </span>
                              <span className="text-slate-600">
                                {' '}
                                · {a.durationMs} ms · {formatTime(a.at)}
                              </span>
                              {a.error && <span className="block break-words text-slate-700">{a.error}</span>}
                            </li>
                          ))}
                        </ol>
                      )}
                    </td>
                    <td className="whitespace-nowrap p-3 text-right">
                      <button
                        type="button"
                        className="btn-secondary px-3 py-1"
                        disabled={redelivering !== null}
                        onClick={() => void redeliver(d)}
                        aria-label={`Redeliver ${d.eventType} from ${formatTime(d.createdAt)}`}
                      >
                        {redelivering === d.id ? 'Sending…' : 'Redeliver'}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Section>
  );
}
