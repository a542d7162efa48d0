import type { Logger } from '@pyrometer/telemetry';
import type { Alert } from '../../alerts/alert.js';
import { alertFromJson, alertToJson, type AlertJson } from '../../alerts/alert-json.js';
import { MemoryAlertProvider } from '../../alerts/memory-provider.js';
import type { AlertListener, AlertProvider } from '../../alerts/provider.js';
import type { RedisState } from './redis-state.js';

/**
 * The {@link AlertProvider} replicas share: alerts in the Redis state (one JSON record per
 * fingerprint, versioned by `updatedAt`), with a local copy that answers reads and tells
 * subscribers — of alerts posted here, and of alerts other replicas stored, merged by the same
 * rule as posted ones. `put` resolves once Redis has the alerts, so an acknowledged POST survives
 * any replica. Garbage collection deletes an alert from Redis only if no replica updated it since.
 */
export class RedisAlertProvider implements AlertProvider {
  private readonly local: MemoryAlertProvider;
  private readonly unlisten: () => void;

  constructor(private readonly state: RedisState, now: () => bigint, private readonly logger: Logger) {
    const loaded: Alert[] = [];
    for (const [key, bytes] of state.loaded('alerts')) {
      const alert = this.decode(key, bytes);
      if (alert !== undefined) loaded.push(alert);
    }
    this.local = new MemoryAlertProvider(now, loaded);
    this.unlisten = state.listen('alerts', (key, bytes) => {
      const alert = this.decode(key, bytes);
      const mine = this.local.get(key);
      // An older update (written before one this replica stored) never replaces a newer one.
      if (alert !== undefined && (mine === undefined || mine.updatedAt <= alert.updatedAt)) void this.local.put([alert]);
    });
  }

  async put(alerts: readonly Alert[]): Promise<void> {
    await this.local.put(alerts);
    const stored = alerts.map((a) => this.local.get(a.fingerprint)!);
    await this.state.put('alerts', stored.map((a) => ({ key: a.fingerprint, version: a.updatedAt, bytes: Buffer.from(JSON.stringify(alertToJson(a))) })));
  }

  get(fingerprint: string): Alert | undefined {
    return this.local.get(fingerprint);
  }

  list(): Alert[] {
    return this.local.list();
  }

  subscribe(listener: AlertListener): () => void {
    return this.local.subscribe(listener);
  }

  async gc(now: bigint): Promise<Alert[]> {
    const deleted = await this.local.gc(now);
    await this.state.delete('alerts', deleted.map((a) => ({ key: a.fingerprint, version: a.updatedAt })));
    return deleted;
  }

  async close(): Promise<void> {
    this.unlisten();
    await this.local.close();
  }

  private decode(key: string, bytes: Buffer): Alert | undefined {
    try {
      return alertFromJson(JSON.parse(bytes.toString('utf8')) as AlertJson);
    } catch (err) {
      this.logger.warn('skipping an alert in Redis that does not decode', { fingerprint: key, err: (err as Error).message });
      return undefined;
    }
  }
}
