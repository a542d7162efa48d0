import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { XorChunk } from './xor-chunk.js';

// testdata/blocks/promtool-gauge was written by Debian's promtool 2.42
// (`promtool tsdb create-blocks-from openmetrics input.om out`); its only chunk is the golden.
const blockDir = fileURLToPath(new URL('../../../testdata/blocks/promtool-gauge/01M884X2YQMZ6BN3YXS1SE5PKB/', import.meta.url));

function goldenChunkData(): Uint8Array {
  const file = readFileSync(blockDir + 'chunks/000001');
  // 8-byte segment header, then uvarint length (one byte here), encoding byte, data, CRC32C.
  const len = file[8]!;
  expect(len).toBeLessThan(0x80);
  expect(file[9]).toBe(1);
  return file.subarray(10, 10 + len);
}

function inputSamples(): { t: number; v: number }[] {
  const text = readFileSync(blockDir + '../input.om', 'utf8');
  return text
    .split('\n')
    .filter((l) => l.startsWith('g{'))
    .map((l) => {
      const [, v, ts] = l.split(' ');
      return { t: Math.round(Number(ts) * 1000), v: v === '+Inf' ? Infinity : Number(v) };
    });
}

describe('XOR chunk against Prometheus', () => {
  it('encodes the same samples to the same bytes promtool wrote', () => {
    const c = XorChunk.create();
    const app = c.appender();
    for (const s of inputSamples()) app.append(s.t, s.v);
    expect(Buffer.from(c.bytes()).toString('hex')).toBe(Buffer.from(goldenChunkData()).toString('hex'));
  });
});
