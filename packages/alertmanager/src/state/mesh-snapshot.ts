import { ProtoReader, ProtoWriter, WireType } from '@pyrometer/codec';
import { readTimestamp, writeTimestamp } from './proto-time.js';

/** A record of upstream's snapshot files: the payload and when it may be collected. */
export interface MeshRecord<T> {
  readonly value: T;
  readonly expiresAt: bigint;
}

/** One `Mesh*` message: `{ <payload> = 1; google.protobuf.Timestamp expires_at = 2; }`. */
export function encodeMesh(payload: Uint8Array, expiresAt: bigint): Uint8Array {
  const w = new ProtoWriter();
  w.bytes(1, payload);
  writeTimestamp(w, 2, expiresAt);
  return w.finish();
}

/** A snapshot file: varint-delimited `Mesh*` messages, as upstream's `pbutil.WriteDelimited` writes them. */
export function encodeMeshSnapshot(messages: Iterable<Uint8Array>): Uint8Array {
  const out = new ProtoWriter();
  for (const m of messages) out.delimited(m);
  return out.finish();
}

/** Reads a snapshot file; `decodePayload` reads field 1 of each message. Throws on malformed bytes. */
export function decodeMeshSnapshot<T>(bytes: Uint8Array, decodePayload: (r: ProtoReader) => T, what: string): MeshRecord<T>[] {
  const r = new ProtoReader(bytes);
  const out: MeshRecord<T>[] = [];
  while (!r.done()) {
    const m = r.message();
    let value: T | undefined;
    let expiresAt = 0n;
    while (!m.done()) {
      const [field, wire] = m.tag();
      if (field === 1 && wire === WireType.Bytes) value = decodePayload(m.message());
      else if (field === 2 && wire === WireType.Bytes) expiresAt = readTimestamp(m.message());
      else m.skip(wire);
    }
    if (value === undefined) throw new Error(`a record without ${what}`);
    out.push({ value, expiresAt });
  }
  return out;
}
