import { useState } from 'react';
import { documents, payments, type Session, type ShareLink } from '../../../shared/contract';
import { call, urlOf } from '../../lib/api';
import { problemSentence } from '../../lib/form-errors';
import { SHARE_LINK_CODES } from '../../lib/form-words';
import { formatTime } from '../../lib/format';
import { useEndpoint } from '../../lib/use-endpoint';
import { Notice } from '../../components/ui';

/**
 * The documents of an ended session (notifications.md §5): its report as a PDF for everyone who
 * may read it, the receipt for its customer when something was paid, and read-only share links
 * the customer makes and revokes.
 */
export function ReportDocuments({
  session,
  role,
  hasReport,
}: {
  session: Session;
  role: 'customer' | 'mechanic' | 'admin';
  hasReport: boolean;
}) {
  const isCustomer = role === 'customer';
  // A receipt exists when the session had a payment (not the free plan).
  const money = useEndpoint(payments.money, isCustomer ? { params: { id: session.id } } : null);
  const hasReceipt = isCustomer && Boolean(money.data?.payment);
  if (!hasReport && !hasReceipt) return null;
  return (
    <section className="card space-y-4" aria-labelledby="documents-title">
      <h2 id="documents-title" className="text-lg font-bold">
        Documents
      </h2>
      <div className="flex flex-wrap gap-2">
        {hasReport && (
          <a className="btn-secondary" href={urlOf(documents.reportPdf, { params: { id: session.id } })} download>
            Download report (PDF)
          </a>
        )}
        {hasReceipt && (
          <a className="btn-secondary" href={urlOf(documents.receiptPdf, { params: { id: session.id } })} download>
            Download receipt (PDF)
          </a>
        )}
      </div>
      {isCustomer && hasReport && <ShareLinks sessionId={session.id} />}
    </section>
  );
}

/** "Share a read-only link": make one (shown once, with a copy button), see the live ones, revoke. */
function ShareLinks({ sessionId }: { sessionId: string }) {
  const live = useEndpoint(documents.listShares, { params: { id: sessionId } });
  const [created, setCreated] = useState<ShareLink | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = async () => {
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      setCreated(await call(documents.createShare, { params: { id: sessionId } }));
      await live.reload();
    } catch (caught) {
      setError(problemSentence(caught, SHARE_LINK_CODES));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (linkId: string) => {
    setError(null);
    try {
      await call(documents.revokeShare, { params: { id: sessionId, linkId } });
      if (created?.id === linkId) setCreated(null);
      await live.reload();
    } catch (caught) {
      setError(problemSentence(caught, SHARE_LINK_CODES));
    }
  };
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard (an insecure page, a denied permission): the link stays selected to copy by hand.
      document.getElementById('share-url')?.focus();
    }
  };

  const links = live.data?.items ?? [];
  return (
    <div className="space-y-3 border-t border-slate-200 pt-4">
      <div>
        <h3 className="font-semibold">Share a read-only link</h3>
        <p className="text-sm text-slate-600">
          Anyone with the link can read this report — a workshop, a family member — without an account. It shows the
          report and nothing about you, and works for 7 days unless you revoke it.
        </p>
      </div>
      {error && <Notice tone="error">{error}</Notice>}
      {created && (
        <div className="space-y-2 rounded-lg border border-blue-200 bg-blue-50 p-3" data-testid="new-share-link">
          <label htmlFor="share-url" className="label">
            Your link (copy it now: it is shown only once)
          </label>
          <div className="flex flex-wrap gap-2">
            <input
              id="share-url"
              className="input min-w-0 flex-1 font-mono"
              readOnly
              value={created.url}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" className="btn-primary" onClick={() => void copy(created.url)}>
              {copied ? 'Copied' : 'Copy link'}
            </button>
          </div>
          <p className="text-xs text-slate-600" role="status">
            {copied ? 'Copied to the clipboard. ' : ''}Works until {formatTime(created.expiresAt)}.
          </p>
        </div>
      )}
      <button type="button" className="btn-secondary" onClick={() => void create()} disabled={busy}>
        {busy ? 'Creating…' : created || links.length > 0 ? 'Create another link' : 'Share a read-only link'}
      </button>
      {links.length > 0 && (
        <ul className="space-y-2 text-sm" aria-label="Working share links">
          {links.map((link) => (
            <li
              key={link.id}
              className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-slate-200 px-3 py-2"
            >
              <span>
                Link made {formatTime(link.createdAt)} · works until {formatTime(link.expiresAt)}
              </span>
              <button
                type="button"
                className="text-sm text-red-800 underline"
                aria-label={`Revoke the link made ${formatTime(link.createdAt)}`}
                onClick={() => void revoke(link.id)}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
