/** Which integration of which receiver a notification went to (`nflogpb.Receiver`). */
export interface NflogReceiver {
  readonly groupName: string;
  readonly integration: string;
  readonly idx: number;
}

/**
 * The last notification sent for an aggregation group to one integration (`nflogpb.Entry`):
 * when, and the hashes (see `alertHash`) of the alerts that were firing and resolved in it.
 */
export interface NflogEntry {
  readonly groupKey: string;
  readonly receiver: NflogReceiver;
  /** ns since the epoch. */
  readonly timestamp: bigint;
  readonly firingAlerts: readonly bigint[];
  readonly resolvedAlerts: readonly bigint[];
}

/** A stored entry and when it may be garbage-collected. */
export interface StoredEntry {
  readonly entry: NflogEntry;
  readonly expiresAt: bigint;
}

/** `group/integration/idx` (upstream's `receiverKey`). */
export function receiverKey(r: NflogReceiver): string {
  return `${r.groupName}/${r.integration}/${r.idx}`;
}

/** `groupKey:group/integration/idx`, the key of an entry (upstream's `stateKey`). */
export function entryKey(groupKey: string, r: NflogReceiver): string {
  return `${groupKey}:${receiverKey(r)}`;
}
