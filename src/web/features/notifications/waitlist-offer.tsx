import { useState } from 'react';
import { accounts, notifications } from '../../../shared/contract';
import { call } from '../../lib/api';
import { problemSentence } from '../../lib/form-errors';
import { WAITLIST_CODES } from '../../lib/form-words';
import { formatTime } from '../../lib/format';
import { useEndpoint } from '../../lib/use-endpoint';
import { Notice } from '../../components/ui';

/**
 * Shown in the intake when no mechanic is on shift (notifications.md §4): the request would most
 * likely expire unanswered, so the customer may instead be told — by email and in the app — when
 * a mechanic for their plan comes on shift.
 */
export function WaitlistOffer({ plan, vehicle }: { plan: string; vehicle: string }) {
  const available = useEndpoint(accounts.available, {});
  const waiting = useEndpoint(notifications.waitlist, {});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!available.data || available.data.onShift > 0 || !waiting.data) return null;
  const entry = waiting.data.entry;

  async function join() {
    setBusy(true);
    setProblem(null);
    try {
      waiting.setData(await call(notifications.joinWaitlist, { body: { plan, vehicle: vehicle || 'my car' } }));
    } catch (caught) {
      setProblem(problemSentence(caught, WAITLIST_CODES));
    } finally {
      setBusy(false);
    }
  }

  async function leave() {
    setBusy(true);
    try {
      await call(notifications.leaveWaitlist, {});
      waiting.setData({ entry: null });
    } catch (caught) {
      setProblem(problemSentence(caught, WAITLIST_CODES));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm" aria-label="No mechanic on shift">
      {entry ? (
        <div className="space-y-2">
          <p>
            <strong>We will tell you</strong> by email and here as soon as a mechanic comes on shift (until{' '}
            {formatTime(entry.expiresAt)}).
          </p>
          <button type="button" className="btn-secondary" disabled={busy} onClick={() => void leave()}>
            Stop waiting
          </button>
        </div>
      ) : (
        <div className="space-y-2">
          <p>
            <strong>No mechanic is on shift right now.</strong> You can still send your request — if nobody takes it in
            time the hold on your card is released — or we can tell you when a mechanic is available.
          </p>
          <button type="button" className="btn-secondary" disabled={busy} onClick={() => void join()}>
            Tell me when a mechanic is available
          </button>
        </div>
      )}
      {problem && <Notice tone="error">{problem}</Notice>}
    </section>
  );
}
