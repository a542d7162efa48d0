import { useCallback, useEffect, useRef, useState } from 'react';

/** What {@link useFetch} returns: the last data or error, whether a load runs, and a reload. */
export interface FetchState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` on mount, whenever `key` changes, on `reload()`, and every `refreshMs` when given.
 * Answers of superseded loads are dropped; the previous data stays while a reload runs.
 */
export function useFetch<T>(load: () => Promise<T>, key: string, refreshMs?: number): FetchState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => mine === generation.current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => mine === generation.current && setState((s) => ({ data: s.data, error: error instanceof Error ? error : new Error(String(error)), loading: false })),
    );
  }, []);

  useEffect(() => {
    run();
    if (refreshMs === undefined) return;
    const timer = setInterval(run, refreshMs);
    return () => clearInterval(timer);
  }, [key, refreshMs, run]);

  return { ...state, reload: run };
}
