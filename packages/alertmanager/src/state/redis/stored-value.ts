/** One record to write: its key, its version (ns; newer wins) and its bytes. */
export interface VersionedRecord {
  readonly key: string;
  readonly version: bigint;
  readonly bytes: Uint8Array;
}

/** How many leading characters of a stored value hold its version. */
export const VERSION_DIGITS = 20;

/** The stored form of a version: 20 decimal digits, so Lua compares versions as strings. */
export function versionText(version: bigint): string {
  return (version < 0n ? 0n : version).toString().padStart(VERSION_DIGITS, '0');
}

/** A record as Redis stores it: its version's digits, then its bytes. */
export function storedValue(r: VersionedRecord): Buffer {
  return Buffer.concat([Buffer.from(versionText(r.version)), r.bytes]);
}

/** The record's bytes of a stored value. */
export function recordBytes(stored: Buffer): Buffer {
  return stored.subarray(VERSION_DIGITS);
}
