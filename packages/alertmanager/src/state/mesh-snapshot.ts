import { ProtoReader, ProtoWriter, WireType } from '@pyrometer/codec';
import { readTimestamp, writeTimestamp } from './proto-time.js';

/**
 * How one record of a replicated kind (a silence, a notification log entry) is written: upstream's
 * `Mesh*` message, which both the snapshot files and the Redis store hold.
 */
export interface RecordCodec<T> {
  /** The record's identity (silence id, upstream's nflog state key). */
  key(record: T): string;
  /** Orders updates of one key: a stored record is only replaced by one of an equal or higher version (ns). */
  version(record: T): bigint;
  encode(record: T): Uint8Array;
  /** Throws when the bytes are not one record of this kind. */
  decode(bytes: Uint8Array): T;
}

/** One `Mesh*` message: `{ <payload> = 1; google.protobuf.Timestamp expires_at = 2; }`. */
export function encodeMesh(payload: Uint8Array, expiresAt: bigint): Uint8Array {
  const w = new ProtoWriter();
  w.bytes(1, payload);
  writeTimestamp(w, 2, expiresAt);
  return w.finish();
}

/** Reads one `Mesh*` message; `decodePayload` reads field 1. Throws on malformed bytes. */
export function decodeMesh<T>(bytes: Uint8Array, decodePayload: (r: ProtoReader) => T, what: string): { value: T; expiresAt: bigint } {
  const m = new ProtoReader(bytes);
  let value: T | undefined;
  let expiresAt = 0n;
  while (!m.done()) {
    const [field, wire] = m.tag();
    if (field === 1 && wire === WireType.Bytes) value = decodePayload(m.message());
    else if (field === 2 && wire === WireType.Bytes) expiresAt = readTimestamp(m.message());
    else m.skip(wire);
  }
  if (value === undefined) throw new Error(`a record without ${what}`);
  return { value, expiresAt };
}

/** A snapshot file: varint-delimited `Mesh*` messages, as upstream's `pbutil.WriteDelimited` writes them. */
export function encodeSnapshot<T>(codec: RecordCodec<T>, records: Iterable<T>): Uint8Array {
  return encodeDelimited([...records].map((r) => codec.encode(r)));
}

/** A snapshot file of records already encoded (one `Mesh*` message each). */
export function encodeDelimited(messages: Iterable<Uint8Array>): Uint8Array {
  const out = new ProtoWriter();
  for (const m of messages) out.delimited(m);
  return out.finish();
}

/** Reads a snapshot file; throws on malformed bytes. */
export function decodeSnapshot<T>(codec: RecordCodec<T>, bytes: Uint8Array): T[] {
  const r = new ProtoReader(bytes);
  const out: T[] = [];
  while (!r.done()) {
    const m = r.message();
    out.push(codec.decode(bytes.subarray(m.pos, m.end)));
  }
  return out;
}
