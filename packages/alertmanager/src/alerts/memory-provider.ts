import { mergeAlerts, overlaps, resolvedAt, type Alert } from './alert.js';
import type { AlertListener, AlertProvider } from './provider.js';
import { shareWithPrevious } from './shared-strings.js';

/**
 * The in-process {@link AlertProvider} (upstream's `provider/mem`), optionally seeded with restored
 * alerts. An update keeps the stored alert's label set and strings where they are equal.
 */
export class MemoryAlertProvider implements AlertProvider {
  private readonly alerts = new Map<string, Alert>();
  private readonly listeners = new Set<AlertListener>();

  constructor(private readonly now: () => bigint, restored: readonly Alert[] = []) {
    for (const a of restored) this.alerts.set(a.fingerprint, a);
  }

  put(alerts: readonly Alert[]): Promise<void> {
    const now = this.now();
    for (let alert of alerts) {
      const old = this.alerts.get(alert.fingerprint);
      if (old !== undefined) alert = shareWithPrevious(alert, old);
      if (old !== undefined && overlaps(old, alert)) alert = mergeAlerts(old, alert, now);
      this.alerts.set(alert.fingerprint, alert);
      for (const l of this.listeners) l(alert);
    }
    return Promise.resolve();
  }

  get(fingerprint: string): Alert | undefined {
    return this.alerts.get(fingerprint);
  }

  list(): Alert[] {
    return [...this.alerts.values()];
  }

  subscribe(listener: AlertListener): () => void {
    for (const a of this.alerts.values()) listener(a);
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  gc(now: bigint): Promise<Alert[]> {
    const deleted: Alert[] = [];
    for (const [fp, a] of this.alerts) {
      if (resolvedAt(a, now)) {
        this.alerts.delete(fp);
        deleted.push(a);
      }
    }
    return Promise.resolve(deleted);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
