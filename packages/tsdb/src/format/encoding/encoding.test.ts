import { describe, expect, it } from 'vitest';
import { crc32c } from '@pyrometer/codec';
import { DecodeBuffer } from './decode-buffer.js';
import { EncodeBuffer } from './encode-buffer.js';

describe('crc32c', () => {
  it.each([
    { name: 'empty', input: '', want: 0x00000000 },
    { name: 'check value', input: '123456789', want: 0xe3069283 },
    { name: 'rfc3720 32 zero bytes', input: '\0'.repeat(32), want: 0x8a9136aa },
    { name: 'rfc3720 32 0xff bytes', input: '\xff'.repeat(32), want: 0x62a8ab43 },
  ])('$name', ({ input, want }) => {
    expect(crc32c(Buffer.from(input, 'latin1'))).toBe(want);
  });

  it('continues across calls and ranges', () => {
    const data = Buffer.from('the quick brown fox jumps over the lazy dog, twice over');
    const whole = crc32c(data);
    for (const cut of [0, 1, 7, 8, 9, 30, data.length]) {
      expect(crc32c(data.subarray(cut), crc32c(data.subarray(0, cut)))).toBe(whole);
      expect(crc32c(data, crc32c(data, 0, 0, cut), cut)).toBe(whole);
    }
  });
});

describe('EncodeBuffer and DecodeBuffer', () => {
  it('round-trip every field type', () => {
    const e = new EncodeBuffer(4);
    const uvarints = [0, 1, 127, 128, 300, 2 ** 32, 2 ** 53 - 1];
    const varints = [0, -1, 1, -64, 64, -(2 ** 40), 1_700_000_000_000, -(2 ** 52)];
    for (const n of uvarints) e.putUvarint(n);
    for (const n of varints) e.putVarint(n);
    e.putBE16(0xbeef);
    e.putBE32(0xdeadbeef);
    e.putBE64(2 ** 52 + 5);
    e.putUvarintString('héllo');
    e.putByte(7);
    e.padTo(16);
    expect(e.length % 16).toBe(0);
    const d = new DecodeBuffer(e.bytes(), 'test');
    for (const n of uvarints) expect(d.uvarint()).toBe(n);
    for (const n of varints) expect(d.varint()).toBe(n);
    expect(d.be16()).toBe(0xbeef);
    expect(d.be32()).toBe(0xdeadbeef);
    expect(d.be64()).toBe(2 ** 52 + 5);
    expect(d.uvarintString()).toBe('héllo');
    expect(d.byte()).toBe(7);
  });

  it('writes varints exactly as Go does', () => {
    const e = new EncodeBuffer();
    e.putUvarint(300);
    e.putVarint(-3);
    e.putBE64(-2);
    expect(e.bytes().toString('hex')).toBe('ac0205' + 'fffffffffffffffe');
  });

  it.each([
    { name: 'fixed read past end', bytes: [1, 2, 3], read: (d: DecodeBuffer) => d.be32(), offset: 100 },
    { name: 'unterminated uvarint', bytes: [0x80, 0x80], read: (d: DecodeBuffer) => d.uvarint(), offset: 100 },
    { name: 'overlong uvarint', bytes: new Array<number>(11).fill(0x80), read: (d: DecodeBuffer) => d.uvarint(), offset: 100 },
    { name: 'string longer than data', bytes: [5, 65], read: (d: DecodeBuffer) => d.uvarintString(), offset: 101 },
  ])('$name throws corruption naming the offset', ({ bytes, read, offset }) => {
    const d = new DecodeBuffer(Uint8Array.from(bytes), 'thing', 100);
    expect(() => read(d)).toThrowError(`corrupt thing at offset ${offset}`);
    try {
      read(new DecodeBuffer(Uint8Array.from(bytes), 'thing', 100));
    } catch (err) {
      expect((err as { code: string }).code).toBe('corruption');
    }
  });
});
