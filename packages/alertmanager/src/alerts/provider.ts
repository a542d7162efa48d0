import type { Alert } from './alert.js';

/** Called with each alert as it is stored (after merging with the one it updates). */
export type AlertListener = (alert: Alert) => void;

/**
 * The alert store every part reads (`provider.Alerts`): the API writes posted alerts, the
 * dispatcher and the inhibitor subscribe. An alert with the fingerprint of a stored one whose
 * active range it overlaps is merged into it (see `mergeAlerts`); otherwise it replaces it.
 *
 * Reads are synchronous: an implementation shared between replicas keeps a local copy (fed by its
 * backend's change stream) and answers from it. `put` resolves once the alerts are stored where
 * every replica will see them. Listeners run synchronously, in put order, on the event loop.
 */
export interface AlertProvider {
  /** Stores alerts and tells the subscribers; resolves when they are durable in the backend. */
  put(alerts: readonly Alert[]): Promise<void>;
  get(fingerprint: string): Alert | undefined;
  /** Every stored alert, resolved ones included until garbage-collected; no order. */
  list(): Alert[];
  /**
   * Calls `listener` for every stored alert now, then for each one stored later, until the
   * returned function is called.
   */
  subscribe(listener: AlertListener): () => void;
  /** Deletes alerts resolved at `now` (ns) and returns them (`--alerts.gc-interval`). */
  gc(now: bigint): Promise<Alert[]>;
  /** Stops background work and releases the backend; stored alerts stay where they are. */
  close(): Promise<void>;
}
