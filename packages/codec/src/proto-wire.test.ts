import { describe, expect, it } from 'vitest';
import { CodecError } from './codec-error.js';
import { ProtoReader, ProtoWriter, WireType } from './proto-wire.js';

describe('protobuf wire primitives', () => {
  it('round-trips varints, negative int64s, doubles, raw double bits and strings', () => {
    const w = new ProtoWriter();
    w.tag(1, WireType.Varint);
    w.varint(1_700_000_000_123);
    w.tag(2, WireType.Varint);
    w.varint(-5);
    w.double(3, 0.25);
    w.fixed64Words(4, 0x7ff00000, 2);
    w.string(5, 'grüße');
    const r = new ProtoReader(w.finish());
    expect(r.tag()).toEqual([1, WireType.Varint]);
    expect(r.int64()).toBe(1_700_000_000_123);
    expect(r.tag()).toEqual([2, WireType.Varint]);
    expect(r.int64()).toBe(-5);
    expect(r.tag()).toEqual([3, WireType.Fixed64]);
    expect(r.double()).toBe(0.25);
    r.tag();
    expect(r.fixed64Words()).toEqual([0x7ff00000, 2]);
    r.tag();
    expect(r.string()).toBe('grüße');
    expect(r.done()).toBe(true);
  });

  it('round-trips full 64-bit unsigned varints as bigints', () => {
    const values = [0n, 1n, 127n, 128n, 2n ** 53n + 1n, 0xef46db3751d8e999n, 2n ** 64n - 1n];
    const w = new ProtoWriter();
    for (const v of values) w.uint64(v);
    const r = new ProtoReader(w.finish());
    expect(values.map(() => r.uint64())).toEqual(values);
    expect(r.done()).toBe(true);
  });

  it('names the offset of truncated input', () => {
    expect(() => new ProtoReader(Uint8Array.of(0x0a, 0x05, 0x61)).tag() && new ProtoReader(Uint8Array.of(0x0a, 0x05, 0x61), 1).string()).toThrow(CodecError);
    expect(() => new ProtoReader(Uint8Array.of(0x80)).varint()).toThrow('invalid protobuf at byte 1: truncated varint');
  });
});
