import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { SegmentDecoder } from './segment-decoder.js';
import { SegmentWriter } from './segment-writer.js';
import { WAL_PAGE_SIZE } from './segments.js';
import { readSegmentFile } from './wal-reader.js';

/** Records of the given sizes, each filled with its own index. */
const records = (sizes: number[]): Uint8Array[] => sizes.map((n, i) => new Uint8Array(n).fill(i + 1));
const b64 = (r: Uint8Array): string => Buffer.from(r).toString('base64');

describe('SegmentDecoder', () => {
  const sizes = [10, 3 * WAL_PAGE_SIZE + 5, 1, WAL_PAGE_SIZE - 7, 70_000, 2];

  function segment(compress: boolean): Buffer {
    const dir = tempDir();
    const w = SegmentWriter.open(dir, { compress });
    w.log(records(sizes));
    w.close();
    return readFileSync(join(dir, '00000000'));
  }

  it.each([
    { name: 'one page per piece', pages: 1, compress: false },
    { name: 'two pages per piece', pages: 2, compress: false },
    { name: 'the whole segment at once', pages: 1000, compress: false },
    { name: 'snappy records, one page per piece', pages: 1, compress: true },
  ])('decodes records spanning pieces: $name', ({ pages, compress }) => {
    const seg = segment(compress);
    const got: string[] = [];
    const decoder = new SegmentDecoder(0, (rec) => got.push(b64(rec)));
    for (let at = 0; at < seg.length; at += pages * WAL_PAGE_SIZE) {
      expect(decoder.feed(seg.subarray(at, at + pages * WAL_PAGE_SIZE))).toBeUndefined();
    }
    expect(decoder.finish()).toBeUndefined();
    expect(got).toEqual(records(sizes).map(b64));
  });

  it('reports a record cut off by the end of the segment at its first fragment', () => {
    const seg = segment(false);
    const decoder = new SegmentDecoder(3, () => {});
    // The second record starts after the first (7-byte header + 10 bytes) and runs over 3 pages.
    expect(decoder.feed(seg.subarray(0, 2 * WAL_PAGE_SIZE))).toBeUndefined();
    expect(decoder.finish()).toEqual({ offset: 17, reason: 'segment 3: record starting at offset 17 is incomplete at the end of the segment' });
  });

  it('refuses a piece after one that did not end on a page boundary', () => {
    const decoder = new SegmentDecoder(0, () => {});
    decoder.feed(new Uint8Array(100));
    expect(() => decoder.feed(new Uint8Array(100))).toThrow(/page boundary/);
  });

  it('streams a segment file through a small piece buffer', () => {
    const dir = tempDir();
    const w = SegmentWriter.open(dir);
    w.log(records(sizes));
    w.close();
    const got: string[] = [];
    const r = readSegmentFile(join(dir, '00000000'), 0, (rec) => got.push(b64(rec)), new Uint8Array(WAL_PAGE_SIZE));
    expect(r).toEqual({ records: sizes.length });
    expect(got).toEqual(records(sizes).map(b64));
  });
});
