import type { Clock } from '../clock.js';
import type { StateStore } from '../state/state-store.js';
import { fromMillis } from '../time/instant.js';
import { entryKey, type NflogEntry, type NflogReceiver, type StoredEntry } from './entry.js';

const NEVER = new AbortController().signal;

export interface NotificationLogOptions {
  store: StateStore<StoredEntry>;
  clock: Clock;
  /** How long entries are kept (`--data.retention`), ms. */
  retentionMs: number;
}

/**
 * The right to send one notification (a group to one integration): granted by
 * {@link NotificationLog.claim}, ended by `log` after a successful send or `release` after a failed one.
 */
export interface NotificationClaim {
  /** Aborted when the claim was lost to another replica (see `Claim.lost`); never, alone. */
  readonly lost: AbortSignal;
  /**
   * Records the sent notification (the hashes of the firing and resolved alerts; `expiryMs`, 0 =
   * none, caps how long the entry is kept) and releases the claim. False when the claim had
   * been lost meanwhile — the entry is recorded anyway, since the notification went out.
   */
  log(firingAlerts: bigint[], resolvedAlerts: bigint[], expiryMs: number): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * The notification log (`nflog.Log`): for each aggregation group and integration, the last
 * notification sent. Before sending, the pipeline claims the entry with a decision on it (the
 * dedup rules); after a successful send it logs the new state through the claim. With a store
 * shared by replicas the decision is made on the shared entry and the claim is exclusive, so
 * one notification is sent by one replica; alone, the working copy decides. Entries expire after
 * the shorter of the retention and twice the group's repeat interval.
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

  /** The entry for a group and integration in the working copy, if one was logged and not collected. */
  query(groupKey: string, receiver: NflogReceiver): NflogEntry | undefined {
    return this.st.get(entryKey(groupKey, receiver))?.entry;
  }

  /**
   * Decides with `due` on the latest entry (the shared one when replicas share the store) whether
   * a notification is called for, and if so takes the claim to send it for `ttlMs`. `held`: another
   * replica is sending it (or about to log it); the caller tries again later.
   */
  async claim(groupKey: string, receiver: NflogReceiver, due: (entry: NflogEntry | undefined) => boolean): Promise<NotificationClaimResult> {
    const key = entryKey(groupKey, receiver);
    const store = this.o.store;
    if (store.claim === undefined) {
      if (!due(this.st.get(key)?.entry)) return { status: 'not-due' };
      const log = async (firing: bigint[], resolved: bigint[], expiryMs: number) => {
        const stored = this.record(key, groupKey, receiver, firing, resolved, expiryMs);
        if (stored !== undefined) await store.put(stored);
        return true;
      };
      return { status: 'granted', claim: { lost: NEVER, release: () => Promise.resolve(), log } };
    }
    const result = await store.claim(key, (current) => {
      if (current !== undefined) this.merge(key, current);
      return due(current?.entry);
    });
    if (result.status !== 'granted') return result;
    const { claim } = result;
    const log = async (firing: bigint[], resolved: bigint[], expiryMs: number) => {
      const stored = this.record(key, groupKey, receiver, firing, resolved, expiryMs);
      if (stored !== undefined) return claim.commit(stored);
      await claim.release();
      return true;
    };
    return { status: 'granted', claim: { lost: claim.lost, release: () => claim.release(), log } };
  }

  /** Deletes expired entries; returns how many. */
  async gc(): Promise<number> {
    const now = fromMillis(this.o.clock.now());
    const gone = [...this.st].filter(([, s]) => s.expiresAt <= now);
    for (const [k] of gone) this.st.delete(k);
    await this.o.store.delete(gone.map(([, s]) => s));
    return gone.length;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.o.store.close();
  }

  /** The new entry, set in the working copy; undefined when the clock went back behind the last one (upstream's rule). */
  private record(key: string, groupKey: string, receiver: NflogReceiver, firingAlerts: bigint[], resolvedAlerts: bigint[], expiryMs: number): StoredEntry | undefined {
    const now = fromMillis(this.o.clock.now());
    const prev = this.st.get(key);
    if (prev !== undefined && prev.entry.timestamp > now) return undefined;
    const keep = expiryMs > 0 && this.o.retentionMs > expiryMs ? expiryMs : this.o.retentionMs;
    const stored: StoredEntry = { entry: { groupKey, receiver, timestamp: now, firingAlerts, resolvedAlerts }, expiresAt: now + fromMillis(keep) };
    this.st.set(key, stored);
    return stored;
  }

  private merge(key: string, stored: StoredEntry): void {
    if (stored.expiresAt < fromMillis(this.o.clock.now())) return;
    const prev = this.st.get(key);
    if (prev === undefined || prev.entry.timestamp < stored.entry.timestamp) this.st.set(key, stored);
  }
}

/** What {@link NotificationLog.claim} found. */
export type NotificationClaimResult = { readonly status: 'granted'; readonly claim: NotificationClaim } | { readonly status: 'not-due' } | { readonly status: 'held'; readonly holder: string };
