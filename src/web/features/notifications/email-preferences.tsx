import { useState } from 'react';
import { notifications, type EmailPreferences as Preferences } from '../../../shared/contract';
import type { Role } from '../../../shared/domain';
import { call } from '../../lib/api';
import { problemSentence } from '../../lib/form-errors';
import { useEndpoint } from '../../lib/use-endpoint';
import { Notice, Spinner } from '../../components/ui';

type Kind = keyof Preferences['email'];

/** The kinds each role can receive, in words; account emails (receipts, resets) are always sent. */
const KINDS: { kind: Kind; label: string; roles: Role[] }[] = [
  { kind: 'request_accepted', label: 'A mechanic accepted my request', roles: ['customer'] },
  { kind: 'mechanic_no_show', label: 'My mechanic did not join', roles: ['customer'] },
  { kind: 'report_ready', label: 'My report is ready (with the PDF)', roles: ['customer'] },
  { kind: 'mechanic_available', label: 'A mechanic is available (when I asked to be told)', roles: ['customer'] },
  {
    kind: 'new_request',
    label: 'New requests matching me while I am off shift (at most one every 15 minutes)',
    roles: ['mechanic'],
  },
  { kind: 'weekly_statement', label: 'My weekly earnings statement', roles: ['mechanic'] },
  { kind: 'application_update', label: 'News about my mechanic application and account', roles: ['mechanic'] },
];

export function EmailPreferences({ role }: { role: Role }) {
  const loaded = useEndpoint(notifications.preferences, {});
  const [saving, setSaving] = useState<Kind | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const kinds = KINDS.filter((k) => k.roles.includes(role));
  if (kinds.length === 0) return null;

  async function toggle(kind: Kind, on: boolean) {
    setSaving(kind);
    setProblem(null);
    try {
      const saved = await call(notifications.setPreferences, { body: { email: { [kind]: on } } });
      loaded.setData(saved);
    } catch (caught) {
      setProblem(`Your choice could not be saved. ${problemSentence(caught)}`);
    } finally {
      setSaving(null);
    }
  }

  return (
    <section className="card space-y-3" aria-labelledby="email-preferences-title">
      <h2 id="email-preferences-title" className="font-bold">
        Emails
      </h2>
      <p className="text-sm text-slate-600">
        Receipts, refunds and password emails are always sent. Choose which of the others you get.
      </p>
      {problem && <Notice tone="error">{problem}</Notice>}
      {!loaded.data ? (
        <Spinner />
      ) : (
        <ul className="space-y-2">
          {kinds.map(({ kind, label }) => (
            <li key={kind}>
              <label className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  className="mt-1"
                  checked={loaded.data!.email[kind]}
                  disabled={saving === kind}
                  onChange={(e) => void toggle(kind, e.target.checked)}
                />
                <span>{label}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
