import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';

/** CRC-32C bit by bit, straight from the polynomial: the reference for the table-driven code. */
function bitwiseCrc32c(data: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) {
    c ^= data[i]!;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

describe('crc32c', () => {
  it('matches the bitwise definition over every range of a buffer, across the 8-byte blocks and the bytes after them', () => {
    const data = Uint8Array.from({ length: 41 }, (_, i) => (i * 151 + 7) & 0xff);
    for (let start = 0; start <= data.length; start++) {
      for (let end = start; end <= data.length; end++) expect(crc32c(data, 0, start, end)).toBe(bitwiseCrc32c(data, start, end));
    }
  });

  it('leaves the running CRC as it was over an empty or reversed range', () => {
    const data = new Uint8Array(16).fill(1);
    const running = crc32c(data, 0, 0, 5);
    expect(crc32c(data, running, 9, 9)).toBe(running);
    expect(crc32c(data, running, 12, 3)).toBe(running);
  });
});
