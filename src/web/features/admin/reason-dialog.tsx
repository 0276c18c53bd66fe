import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../../lib/api';
import { REASON } from '../../lib/form-words';
import { useFormErrors } from '../../lib/use-form-errors';
import { Dialog } from '../../components/dialog';
import { ErrorSummary } from '../../components/error-summary';
import { TextArea } from '../../components/ui';

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
  const form = useFormErrors(REASON);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending || !form.check({ reason })) return;
    setSending(true);
    try {
      await onConfirm(reason.trim());
    } catch (caught) {
      const said = caught instanceof ApiError ? describe?.(caught) : undefined;
      if (said) form.show({}, said, caught instanceof ApiError ? caught.code : null);
      else form.fail(caught);
      setSending(false);
    }
  };

  return (
    <Dialog title={title} busy={sending} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} onChange={form.onChange} className="space-y-4" noValidate>
        <ErrorSummary form={form} level={3} listFields={false} />
        {children}
        <TextArea
          label="Reason (recorded in the audit log)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          disabled={sending}
          autoFocus
          {...form.field('reason')}
        />
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
