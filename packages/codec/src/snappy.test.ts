import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from './codec-error.js';
import { snappyDecode, snappyEncode, snappyFramedDecode, snappyFramedEncode } from './snappy.js';

const text = (s: string) => new TextEncoder().encode(s);

function uvarint(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 0x80)) out.push((n % 0x80) | 0x80);
  return [...out, n];
}

describe('snappy block format', () => {
  it('decodes a hand-made block: uvarint length then a literal', () => {
    expect(new TextDecoder().decode(snappyDecode(Uint8Array.of(11, 10 << 2, ...text('hello world'))))).toBe('hello world');
  });

  it('compresses repetitive data and round-trips it', () => {
    const input = text('flink_taskmanager_job_task_numRecordsIn{job="a",task="b"} 1.0\n'.repeat(2000));
    const compressed = snappyEncode(input);
    expect(compressed.length).toBeLessThan(input.length / 20);
    expect(snappyDecode(compressed)).toEqual(input);
  });

  it('round-trips arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.nat(40), (data, repeat) => {
        const input = new Uint8Array(data.length * (1 + (repeat % 3)));
        for (let i = 0; i < input.length; i++) input[i] = data[i % Math.max(1, data.length)] ?? 0;
        expect(snappyDecode(snappyEncode(input))).toEqual(input);
      }),
      { numRuns: 200 },
    );
  });

  it('checks the declared length against the limit before allocating anything', () => {
    // The header claims 4 GiB − 1; a decoder that allocated first would need 4 GiB.
    const bomb = Uint8Array.of(...uvarint(0xffffffff), 0, 0);
    expect(() => snappyDecode(bomb, 'remote write body', 32 << 20)).toThrow(
      expect.objectContaining({ code: 'too_large', message: 'remote write body: decoded length 4294967295 exceeds the limit of 33554432 bytes' }),
    );
    expect(snappyDecode(snappyEncode(new Uint8Array(1000)), 'x', 1000)).toHaveLength(1000);
  });

  it('rejects corrupt blocks with a typed error naming the offset, never reading out of bounds', () => {
    expect(() => snappyDecode(Uint8Array.of(5, 1, 0))).toThrow(CodecError);
    expect(() => snappyDecode(Uint8Array.of(5, 1, 0))).toThrow(/snappy block: corrupt snappy data at byte 1/);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        try {
          snappyDecode(junk);
        } catch (err) {
          expect(err).toBeInstanceOf(CodecError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('snappy framing format', () => {
  it('round-trips multi-chunk streams and checks each chunk CRC', () => {
    const input = text('x'.repeat(70_000) + 'tail');
    const stream = snappyFramedEncode(input);
    expect(snappyFramedDecode(stream)).toEqual(input);
    const tampered = stream.slice();
    tampered[14] = tampered[14]! ^ 0xff;
    expect(() => snappyFramedDecode(tampered)).toThrow(CodecError);
  });

  it('refuses a chunk that decodes to more than 65,536 bytes before decoding it, as Go does', () => {
    // One literal byte, then 2,000 copies of 64 bytes: 128,001 zero bytes from ~6 KB.
    const block = Uint8Array.of(...uvarint(128_001), 0, 0, ...Array.from({ length: 2000 }, () => [(63 << 2) | 2, 1, 0]).flat());
    const stream = Uint8Array.of(0xff, 6, 0, 0, ...text('sNaPpY'), 0, (block.length + 4) & 0xff, (block.length + 4) >> 8, 0, 0, 0, 0, 0, ...block);
    expect(() => snappyFramedDecode(stream)).toThrow('snappy stream: chunk at byte 10 decodes to more than the format\'s 65536 bytes');
  });

  it('stops once the decoded stream exceeds the caller\'s limit', () => {
    const stream = snappyFramedEncode(new Uint8Array(200_000));
    expect(snappyFramedDecode(stream, 200_000)).toHaveLength(200_000);
    expect(() => snappyFramedDecode(stream, 199_999)).toThrow(expect.objectContaining({ code: 'too_large', message: 'snappy stream: decoded data exceeds the limit of 199999 bytes' }));
  });

  it('requires the stream identifier', () => {
    expect(() => snappyFramedDecode(Uint8Array.of(0x01, 5, 0, 0, 0, 0, 0, 0, 0x61))).toThrow('snappy stream: missing stream identifier');
  });
});
