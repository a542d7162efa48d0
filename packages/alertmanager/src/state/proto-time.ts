import { type ProtoReader, ProtoWriter, WireType } from '@pyrometer/codec';

const NS = 1_000_000_000n;

/** A `google.protobuf.Timestamp` {int64 seconds = 1; int32 nanos = 2} as nanoseconds since the epoch. */
export function readTimestamp(r: ProtoReader): bigint {
  let seconds = 0;
  let nanos = 0;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Varint) seconds = r.int64();
    else if (field === 2 && wire === WireType.Varint) nanos = r.int64();
    else r.skip(wire);
  }
  return BigInt(seconds) * NS + BigInt(nanos);
}

/** Writes a timestamp field (always, as gogo's stdtime does for non-nullable times). */
export function writeTimestamp(w: ProtoWriter, field: number, ns: bigint): void {
  let seconds = ns / NS;
  let nanos = ns - seconds * NS;
  if (nanos < 0n) {
    nanos += NS;
    seconds -= 1n;
  }
  const t = new ProtoWriter();
  if (seconds !== 0n) {
    t.tag(1, WireType.Varint);
    t.varint(Number(seconds));
  }
  if (nanos !== 0n) {
    t.tag(2, WireType.Varint);
    t.varint(Number(nanos));
  }
  w.bytes(field, t.finish());
}
