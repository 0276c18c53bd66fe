import { useState } from 'react';
import { webhooks, type WebhookEndpoint } from '../../../shared/contract';
import { ApiError, call } from '../../lib/api';
import { problemSentence } from '../../lib/form-errors';
import { Dialog } from '../../components/dialog';
import { Notice } from '../../components/ui';

/** Confirms deleting a webhook endpoint: what stops, and that it cannot be undone. */
export function DeleteWebhookDialog({
  endpoint,
  onClose,
  onDeleted,
}: {
  endpoint: WebhookEndpoint;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const [deleting, setDeleting] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const confirm = async () => {
    setDeleting(true);
    setProblem(null);
    try {
      await call(webhooks.remove, { params: { id: endpoint.id } });
      onDeleted();
    } catch (caught) {
      // Deleted meanwhile (another tab, another admin): what was asked for is done.
      if (caught instanceof ApiError && caught.status === 404) onDeleted();
      else setProblem(problemSentence(caught));
    } finally {
      setDeleting(false);
    }
  };

  return (
    <Dialog title="Delete this endpoint?" busy={deleting} onClose={onClose}>
      <div className="space-y-2 text-sm text-slate-700">
        <p className="break-all font-mono text-xs">{endpoint.url}</p>
        <p>
          Nothing more will be sent to it, including deliveries still waiting for a retry. This cannot be undone: to
          receive events there again, add the endpoint anew (it gets a new secret).
        </p>
      </div>
      {problem && <Notice tone="error">The endpoint could not be deleted. {problem}</Notice>}
      <div className="flex flex-wrap justify-end gap-2">
        <button type="button" className="btn-secondary" onClick={onClose} disabled={deleting} autoFocus>
          Keep it
        </button>
        <button type="button" className="btn-danger" onClick={() => void confirm()} disabled={deleting}>
          {deleting ? 'Deleting…' : 'Delete endpoint'}
        </button>
      </div>
    </Dialog>
  );
}
