import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../../lib/api';
import { fieldProblem } from '../../lib/field-problem';
import { Dialog } from '../../components/dialog';
import { Notice, TextArea } from '../../components/ui';

/** AdminReasonBody and ForceEndBody allow this much (shared/contract/admin.ts). */
const MAX_REASON = 2000;

/**
 * An admin action that needs a reason for the audit log (approve, decline, suspend, pause, force
 * end), asked in the shared modal dialog. Cancel or Escape does nothing; an empty reason is refused
 * here with a message, before anything is sent. `onConfirm` sends the action and, once it went
 * through, closes the dialog (the parent unmounts it); what the server
 * refuses stays in the dialog, said in words (`describe` may say it better for this action).
 */
export function ReasonDialog({
  title,
  children,
  confirmLabel,
  busyLabel,
  danger = false,
  onConfirm,
  onClose,
  describe,
}: {
  title: string;
  /** What the action does, and any option it has (shown above the reason). */
  children?: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  danger?: boolean;
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
  describe?: (error: ApiError) => string | undefined;
}) {
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<{ reason?: string; form?: string }>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    const text = reason.trim();
    if (!text) return setProblem({ reason: 'Give a reason: it is recorded in the audit log.' });
    if (text.length > MAX_REASON) {
      return setProblem({ reason: `Keep the reason under ${MAX_REASON.toLocaleString()} characters.` });
    }
    setProblem({});
    setSending(true);
    try {
      await onConfirm(text);
    } catch (caught) {
      setProblem(problemOf(caught, describe));
      setSending(false);
    }
  };

  return (
    <Dialog title={title} busy={sending} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="space-y-4" noValidate>
        {children}
        <TextArea
          label="Reason (recorded in the audit log)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={problem.reason}
          required
          disabled={sending}
          autoFocus
        />
        {problem.form && <Notice tone="error">{problem.form}</Notice>}
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" className="btn-secondary" onClick={onClose} disabled={sending}>
            Cancel
          </button>
          <button className={danger ? 'btn-danger' : 'btn-primary'} disabled={sending}>
            {sending ? busyLabel : confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function problemOf(
  caught: unknown,
  describe: ((error: ApiError) => string | undefined) | undefined,
): { reason?: string; form?: string } {
  if (!(caught instanceof ApiError)) return { form: 'That did not go through. Please try again.' };
  const said = describe?.(caught);
  if (said) return { form: said };
  if (caught.code === 'VALIDATION_FAILED') {
    const reason = fieldProblem(caught, 'reason', 'The reason', 'The reason is empty or too long.');
    if (reason) return { reason };
  }
  if (caught.code === 'NETWORK') return { form: 'Cannot reach AutoDoctor. Check the connection and try again.' };
  return { form: caught.message };
}
