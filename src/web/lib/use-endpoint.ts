import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type DependencyList,
  type Dispatch,
  type SetStateAction,
} from 'react';
import type { Endpoint, ResponseOf } from '../../shared/contract';
import { ApiError, request, type CallInput } from './api';

export type Loaded<E extends Endpoint> = {
  /** The last answer (kept while a reload runs), or null before the first. */
  data: ResponseOf<E> | null;
  /** Why the last load failed; cleared by the next answer. */
  error: ApiError | null;
  loading: boolean;
  /** Loads again; never rejects (a failure lands in `error`). */
  reload: () => Promise<void>;
  /** Changes what was loaded, e.g. merging a realtime event into a list. */
  setData: Dispatch<SetStateAction<ResponseOf<E> | null>>;
};

/**
 * The one way a page loads data: `endpoint` with `input` while mounted, again whenever `input`
 * changes (compared by value) or one of `deps` does, and on `reload()`. `input: null` loads
 * nothing yet. An answer to an older request than the latest is dropped.
 */
export function useEndpoint<E extends Endpoint>(
  endpoint: E,
  input: CallInput<E> | null,
  deps: DependencyList = [],
): Loaded<E> {
  const [data, setData] = useState<ResponseOf<E> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(input !== null);
  const key = JSON.stringify(input);
  const latest = useRef({ endpoint, input });
  latest.current = { endpoint, input };
  const requests = useRef(0);

  const reload = useCallback(async () => {
    const { endpoint: current, input: currentInput } = latest.current;
    if (currentInput === null) return;
    const id = ++requests.current;
    setLoading(true);
    try {
      const answer = await request(current, currentInput);
      if (id !== requests.current) return;
      setData(() => answer);
      setError(null);
    } catch (caught) {
      if (id !== requests.current) return;
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'UNKNOWN', String(caught)));
    } finally {
      if (id === requests.current) setLoading(false);
    }
  }, []);

  // `key` stands for `input` (a new object every render); `deps` are the caller's reasons to reload.
  useEffect(() => void reload(), [endpoint, key, reload, ...deps]);

  return { data, error, loading, reload, setData };
}
