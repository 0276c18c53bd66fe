import { ProviderUnavailable, type PaymentProvider } from '../../src/server/payments/provider.js';

type Operation =
  'createIntent' | 'confirmCard' | 'capture' | 'cancel' | 'retrieve' | 'chargeSaved' | 'refund' | 'transfer';

/**
 * A real provider (the local one) behind a fault injector: the next N calls of an operation fail
 * as a provider outage does (a 5xx or a timeout), before or after the provider did the work —
 * "after" is the nasty case: the money moved but the answer was lost.
 */
export function flaky(inner: PaymentProvider) {
  const failures = new Map<Operation, { count: number; after: boolean }>();
  const calls = new Map<Operation, { key?: string }[]>();
  /** Holds the next call of `op` until `release()` (a charge in flight while something else happens). */
  const holds = new Map<Operation, { started: () => void; release: Promise<void> }>();
  const wrap =
    <A extends { idempotencyKey?: string }, R>(op: Operation, fn: (input: A) => Promise<R>) =>
    async (input: A): Promise<R> => {
      const hold = holds.get(op);
      if (hold) {
        holds.delete(op);
        hold.started();
        await hold.release;
      }
      calls.set(op, [...(calls.get(op) ?? []), { key: input?.idempotencyKey }]);
      const failure = failures.get(op);
      if (failure && failure.count > 0) {
        failure.count--;
        if (failure.after) await fn(input);
        throw new ProviderUnavailable(`injected: the provider did not answer ${op}`);
      }
      return fn(input);
    };
  const provider: PaymentProvider = {
    ...inner,
    createIntent: wrap('createIntent', inner.createIntent),
    confirmCard: inner.confirmCard ? wrap('confirmCard', inner.confirmCard) : undefined,
    capture: wrap('capture', inner.capture),
    cancel: wrap('cancel', inner.cancel),
    chargeSaved: wrap('chargeSaved', inner.chargeSaved),
    refund: wrap('refund', inner.refund),
    transfer: wrap('transfer', inner.transfer),
  };
  return {
    provider,
    /** The next `count` calls of `op` fail; with `after`, each does the work first and then loses the answer. */
    failNext: (op: Operation, count: number, after = false) => failures.set(op, { count, after }),
    calls: (op: Operation) => calls.get(op) ?? [],
    reset: () => (failures.clear(), calls.clear(), holds.clear()),
    /** The next call of `op` waits: resolves `started` when it begins, continues on `release()`. */
    hold(op: Operation) {
      let release!: () => void;
      let started!: () => void;
      const begun = new Promise<void>((resolve) => (started = resolve));
      holds.set(op, { started, release: new Promise<void>((resolve) => (release = resolve)) });
      return { started: begun, release: () => release() };
    },
  };
}
