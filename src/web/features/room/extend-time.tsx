import { useState } from 'react';
import { payments, type Session } from '../../../shared/contract';
import { ApiError, call } from '../../lib/api';
import { problemSentence } from '../../lib/form-errors';
import { EXTEND_TIME_CODES } from '../../lib/form-words';
import { money } from '../../lib/format';
import { cardWords, declineMessage } from '../../lib/payment-words';
import { useEndpoint } from '../../lib/use-endpoint';

/**
 * "Add 10 more minutes for $4.99" (payments.md §3, T14), for the customer of a live session: at
 * any time, and called out once the 5-minute warning arrives. The price is the plan's, shown from
 * the server's offer; the card on hold is charged first, and the countdown moves only once the
 * server has applied the time (the mechanic's moves with the same event).
 */
export function ExtendTime({
  session,
  warning,
  onExtended,
}: {
  session: Session;
  /** Minutes left, once the server's timer warning has arrived. */
  warning: number | null;
  onExtended: (session: Session) => void;
}) {
  const view = useEndpoint(payments.money, { params: { id: session.id } }, [session.version]);
  const [blocks, setBlocks] = useState(1);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const offer = view.data?.extensionOffer;
  if (!offer) return null;
  const card = view.data?.payment?.card;
  const minutes = blocks * offer.minutes;
  const price = money(blocks * offer.priceCents, view.data?.payment?.currency);

  const buy = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await call(payments.extend, { params: { id: session.id }, body: { blocks } });
      onExtended(result.session);
      setMessage({
        tone: 'success',
        text: `${minutes} minutes added. ${price} was charged${card ? ` to ${cardWords(card)}` : ''}.`,
      });
      setConfirming(false);
      setBlocks(1);
      void view.reload();
    } catch (caught) {
      const text =
        caught instanceof ApiError && caught.code === 'PAYMENT_DECLINED'
          ? `${declineMessage(caught.declineCode)} Nothing was charged and your time is unchanged.`
          : problemSentence(caught, EXTEND_TIME_CODES);
      setMessage({ tone: 'error', text });
    } finally {
      setBusy(false);
    }
  };

  const urgent = warning !== null && warning <= 5;
  return (
    <section
      aria-label="More time"
      className={`rounded-lg border px-4 py-3 text-sm ${urgent ? 'border-amber-300 bg-amber-50' : 'border-slate-200 bg-white'}`}
    >
      {offer.remaining === 0 ? (
        <p className="text-slate-600">This session has had all the extra time it can have (3 extensions).</p>
      ) : !confirming ? (
        <div className="flex flex-wrap items-center gap-3">
          {urgent && <span className="font-semibold text-amber-900">Need more time?</span>}
          <button className={urgent ? 'btn-primary' : 'btn-secondary'} onClick={() => setConfirming(true)}>
            Add {offer.minutes} more minutes for {money(offer.priceCents, view.data?.payment?.currency)}
          </button>
          <span className="text-xs text-slate-500">
            {offer.remaining === 1 ? 'You can add time once more.' : `You can add time ${offer.remaining} more times.`}
          </span>
        </div>
      ) : (
        <div role="group" aria-label="Confirm the extension" className="flex flex-wrap items-center gap-3">
          <label className="flex items-center gap-2">
            <span>Add</span>
            <select
              className="input w-auto py-1"
              value={blocks}
              onChange={(e) => setBlocks(Number(e.target.value))}
              aria-label="Minutes to add"
            >
              {[1, 2, 3].map((n) => (
                <option key={n} value={n}>
                  {n * offer.minutes} minutes — {money(n * offer.priceCents, view.data?.payment?.currency)}
                </option>
              ))}
            </select>
          </label>
          <button className="btn-primary" onClick={() => void buy()} disabled={busy}>
            {busy ? 'Charging…' : `Pay ${price} and add ${minutes} minutes`}
          </button>
          <button className="btn-secondary" onClick={() => setConfirming(false)} disabled={busy}>
            Not now
          </button>
          <span className="w-full text-xs text-slate-600">
            Charged at once{card ? ` to ${cardWords(card)}` : ' to the card you paid with'}; the time is added as soon
            as the charge goes through.
          </span>
        </div>
      )}
      {message && (
        <p
          role={message.tone === 'error' ? 'alert' : 'status'}
          className={`mt-2 ${message.tone === 'error' ? 'text-red-800' : 'text-green-800'}`}
        >
          {message.text}
        </p>
      )}
    </section>
  );
}
