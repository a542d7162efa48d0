import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from './codec-error.js';
import { snappyDecode, snappyEncode, snappyFramedDecode, snappyFramedEncode } from './snappy.js';

const text = (s: string) => new TextEncoder().encode(s);

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

  it('requires the stream identifier', () => {
    expect(() => snappyFramedDecode(Uint8Array.of(0x01, 5, 0, 0, 0, 0, 0, 0, 0x61))).toThrow('snappy stream: missing stream identifier');
  });
});
