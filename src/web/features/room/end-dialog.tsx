import { payments, type Session } from '../../../shared/contract';
import { useEndpoint } from '../../lib/use-endpoint';
import { Dialog } from '../../components/dialog';
import { endWords } from './end-words';

/**
 * "End the session now?": before a participant ends it, how much time is left and what ending
 * does to the money — charged in full, or the hold released (payments.md §3). Mounted per opening.
 */
export function EndSessionDialog({
  session,
  role,
  now,
  busy,
  onEnd,
  onClose,
}: {
  session: Session;
  role: 'customer' | 'mechanic';
  now: number;
  busy: boolean;
  onEnd: () => void;
  onClose: () => void;
}) {
  const view = useEndpoint(payments.money, { params: { id: session.id } });
  const words = endWords({ session, role, view: view.data, now });
  return (
    <Dialog title={words.title} busy={busy} onClose={onClose}>
      <p className="font-semibold" data-testid="end-time-left">
        {words.time}
      </p>
      <p className="text-sm text-slate-700" data-testid="end-payment">
        {words.payment}
      </p>
      <div className="flex flex-wrap justify-end gap-2">
        <button type="button" className="btn-secondary min-h-11" onClick={onClose} disabled={busy} autoFocus>
          Keep going
        </button>
        <button type="button" className="btn-danger min-h-11" onClick={onEnd} disabled={busy}>
          {busy ? 'Ending…' : 'Yes, end it'}
        </button>
      </div>
    </Dialog>
  );
}
