import type { Clock } from '../clock.js';
import type { StateStore } from '../state/state-store.js';
import { fromMillis } from '../time/instant.js';
import { entryKey, type NflogEntry, type NflogReceiver, type StoredEntry } from './entry.js';

export interface NotificationLogOptions {
  store: StateStore<StoredEntry>;
  clock: Clock;
  /** How long entries are kept (`--data.retention`), ms. */
  retentionMs: number;
}

/**
 * The notification log (`nflog.Log`): for each aggregation group and integration, the last
 * notification sent. The dedup stage reads it to decide whether to notify again; after a
 * successful send the pipeline logs the new state. Entries expire after the shorter of the
 * retention and twice the group's repeat interval.
 */
export class NotificationLog {
  private readonly st = new Map<string, StoredEntry>();
  private unsubscribe: () => void = () => undefined;

  private constructor(private readonly o: NotificationLogOptions) {}

  static async open(o: NotificationLogOptions): Promise<NotificationLog> {
    const log = new NotificationLog(o);
    for (const [key, stored] of await o.store.load()) log.st.set(key, stored);
    log.unsubscribe = o.store.subscribe((key, stored) => log.merge(key, stored));
    return log;
  }

  /** The entry for a group and integration, if one was logged and not collected. */
  query(groupKey: string, receiver: NflogReceiver): NflogEntry | undefined {
    return this.st.get(entryKey(groupKey, receiver))?.entry;
  }

  /** Records a sent notification; `expiryMs` (0 = none) caps how long it is kept. */
  async log(receiver: NflogReceiver, groupKey: string, firingAlerts: bigint[], resolvedAlerts: bigint[], expiryMs: number): Promise<void> {
    const now = fromMillis(this.o.clock.now());
    const key = entryKey(groupKey, receiver);
    const prev = this.st.get(key);
    if (prev !== undefined && prev.entry.timestamp > now) return;
    const keep = expiryMs > 0 && this.o.retentionMs > expiryMs ? expiryMs : this.o.retentionMs;
    const stored: StoredEntry = { entry: { groupKey, receiver, timestamp: now, firingAlerts, resolvedAlerts }, expiresAt: now + fromMillis(keep) };
    this.st.set(key, stored);
    await this.o.store.put(key, stored);
  }

  /** Deletes expired entries; returns how many. */
  async gc(): Promise<number> {
    const now = fromMillis(this.o.clock.now());
    const gone = [...this.st].filter(([, s]) => s.expiresAt <= now).map(([k]) => k);
    for (const k of gone) this.st.delete(k);
    await this.o.store.delete(gone);
    return gone.length;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.o.store.close();
  }

  private merge(key: string, stored: StoredEntry): void {
    if (stored.expiresAt < fromMillis(this.o.clock.now())) return;
    const prev = this.st.get(key);
    if (prev === undefined || prev.entry.timestamp < stored.entry.timestamp) this.st.set(key, stored);
  }
}
