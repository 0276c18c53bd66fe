import { useState, type FormEvent } from 'react';
import { notifications, type OutboxEmail } from '../../../shared/contract';
import { loadSentence } from '../../lib/form-errors';
import { formatTime } from '../../lib/format';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Field, Notice, PageTitle, Spinner } from '../../components/ui';
import { AdminShell } from './admin-shell';

const STATUS_WORDS: Record<OutboxEmail['status'], string> = {
  stored: 'Kept here (no mail server)',
  sent: 'Sent',
  suppressed: 'Not sent: turned off by the recipient',
  failed: 'Failed',
};

/**
 * Admin → Outbox: every email the product sent or kept. Without SMTP_URL nothing leaves the
 * machine, so this is where a developer reads them — each as the recipient would see it.
 */
export function Outbox() {
  const [to, setTo] = useState('');
  const emails = useEndpoint(notifications.outbox, { query: { limit: 100, ...(to ? { to } : {}) } });
  const [openId, setOpenId] = useState<string | null>(null);
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTo(String(new FormData(event.currentTarget).get('to') ?? '').trim());
  };
  return (
    <AdminShell>
      <PageTitle>Outbox</PageTitle>
      <form onSubmit={search} className="mb-4 flex flex-wrap items-end gap-2">
        <div className="min-w-64 flex-1">
          <Field label="Recipient's email" name="to" type="email" placeholder="name@example.com" />
        </div>
        <button className="btn-secondary">Show their emails</button>
        {to && (
          <button type="button" className="btn-secondary" onClick={() => setTo('')}>
            Show all
          </button>
        )}
      </form>
      {emails.error && (
        <Notice tone="error">
          {loadSentence('The outbox could not be loaded.', emails.error, {
            VALIDATION_FAILED: 'That is too long for an email address: type at most 320 characters.',
          })}
        </Notice>
      )}
      {!emails.data ? (
        <Spinner />
      ) : emails.data.items.length === 0 ? (
        <Empty>{to ? `No emails to ${to}.` : 'No emails yet.'}</Empty>
      ) : (
        <ul className="space-y-2">
          {emails.data.items.map((email) => (
            <li key={email.id} className="card">
              <button
                type="button"
                className="w-full text-left"
                aria-expanded={openId === email.id}
                onClick={() => setOpenId(openId === email.id ? null : email.id)}
              >
                <span className="block font-semibold">{email.subject}</span>
                <span className="block text-sm text-slate-600">
                  To {email.to} · {formatTime(email.createdAt)} · {STATUS_WORDS[email.status]}
                  {email.attachments.length > 0 &&
                    ` · ${email.attachments.map((a) => `${a.filename} (${Math.ceil(a.size / 1024)} KB)`).join(', ')}`}
                </span>
              </button>
              {openId === email.id && <EmailView email={email} />}
            </li>
          ))}
        </ul>
      )}
    </AdminShell>
  );
}

function EmailView({ email }: { email: OutboxEmail }) {
  const [part, setPart] = useState<'html' | 'text'>('html');
  return (
    <div className="mt-3 space-y-2 border-t border-slate-100 pt-3">
      {email.error && <Notice tone="warning">Last delivery error: {email.error}</Notice>}
      <div role="group" aria-label="Which part" className="flex gap-2 text-sm">
        <button
          type="button"
          className={part === 'html' ? 'btn-primary' : 'btn-secondary'}
          onClick={() => setPart('html')}
        >
          As the recipient sees it
        </button>
        <button
          type="button"
          className={part === 'text' ? 'btn-primary' : 'btn-secondary'}
          onClick={() => setPart('text')}
        >
          Plain text
        </button>
      </div>
      {part === 'html' ? (
        // Sandboxed: the email's HTML runs no script and cannot reach this page.
        <iframe
          title={`Email: ${email.subject}`}
          sandbox=""
          srcDoc={email.html}
          className="h-96 w-full rounded border"
        />
      ) : (
        <pre className="max-h-96 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-3 text-sm">{email.text}</pre>
      )}
      {Object.keys(email.headers).length > 0 && (
        <p className="break-all text-xs text-slate-500">
          {Object.entries(email.headers)
            .map(([k, v]) => `${k}: ${v}`)
            .join(' · ')}
        </p>
      )}
    </div>
  );
}
