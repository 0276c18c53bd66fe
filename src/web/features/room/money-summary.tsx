import { useEffect } from 'react';
import { payments } from '../../../shared/contract';
import { Link } from '../../lib/router';
import { moneyOutcome } from '../../lib/payment-words';
import { useEndpoint } from '../../lib/use-endpoint';

/**
 * What was charged or released, for the customer of an ended session. The capture runs just after
 * the end (a job), so while it is settling this asks again every two seconds.
 */
export function MoneySummary({ sessionId, version }: { sessionId: string; version: number }) {
  const view = useEndpoint(payments.money, { params: { id: sessionId } }, [version]);
  const settling = view.data?.outcome === 'pending' || view.data?.outcome === 'authorized';
  const { reload } = view;
  useEffect(() => {
    if (!settling) return;
    const timer = setInterval(() => void reload(), 2000);
    return () => clearInterval(timer);
  }, [settling, reload]);
  const sentence = view.data ? moneyOutcome(view.data) : null;
  if (!sentence) return null;
  return (
    <p className="text-sm" data-testid="money-outcome">
      {sentence}{' '}
      {view.data?.payment && !settling && (
        <Link href="/receipts" className="underline">
          Receipts
        </Link>
      )}
    </p>
  );
}
