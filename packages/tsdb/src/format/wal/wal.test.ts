import { tempDir } from '@pyrometer/testkit';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32c } from '@pyrometer/codec';
import { checkpointName, listCheckpoints, writeCheckpoint } from './checkpoint.js';
import { repairWal } from './repair.js';
import { SegmentWriter } from './segment-writer.js';
import { listSegments, segmentName, WAL_PAGE_SIZE } from './segments.js';
import { readWal } from './wal-reader.js';

/** Deterministic records of the given sizes, each filled with its own index. */
function makeRecords(sizes: number[]): Uint8Array[] {
  return sizes.map((n, i) => new Uint8Array(n).fill((i * 37 + 1) & 0xff));
}

/** Records as base64 strings: comparing strings is far cheaper than deep-equal on big arrays. */
function b64(records: readonly Uint8Array[]): string[] {
  return records.map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength).toString('base64'));
}

function readAll(dir: string): { recs: string[]; result: ReturnType<typeof readWal> } {
  const recs: Uint8Array[] = [];
  const result = readWal(dir, (data) => recs.push(data.slice()));
  return { recs: b64(recs), result };
}

describe('WAL segments', () => {
  it.each([
    { name: 'small records in one page', sizes: [1, 10, 100, 0, 5] },
    { name: 'a record spanning pages (first/middle/last)', sizes: [100, 3 * WAL_PAGE_SIZE + 17, 3] },
    { name: 'records filling a page to under a header', sizes: [WAL_PAGE_SIZE - 7 - 7 - 3, 1, 1] },
    { name: 'exactly one page', sizes: [WAL_PAGE_SIZE - 7, 42] },
  ])('round-trips $name', ({ sizes }) => {
    const dir = tempDir();
    const w = SegmentWriter.open(dir);
    const records = makeRecords(sizes);
    w.log(records.slice(0, 2));
    w.log(records.slice(2));
    w.close();
    const { recs, result } = readAll(dir);
    expect(result.corruption).toBeUndefined();
    expect(recs).toEqual(b64(records));
    expect(statSync(join(dir, '00000000')).size % WAL_PAGE_SIZE).toBe(0);
  });

  it('compresses records with snappy when asked, flagging every fragment, and reads them back', () => {
    const dir = tempDir();
    const w = SegmentWriter.open(dir, { compress: true });
    const text = new TextEncoder();
    const records = [text.encode('abc'), text.encode('label_value_'.repeat(10_000)), new Uint8Array(0), makeRecords([70_000])[0]!];
    w.log(records);
    w.close();
    const seg = readFileSync(join(dir, '00000000'));
    expect(seg[0]).toBe(1); // 'abc' does not get smaller: stored as is
    expect(seg[10]! & 0x0f).toBe(0x08 | 1); // 120 kB of repetition fits one compressed fragment
    expect(seg.length).toBeLessThan(2 * WAL_PAGE_SIZE + 8 * 1024);
    expect(readAll(dir).recs).toEqual(b64(records));
  });

  it('writes fragment headers as Prometheus does', () => {
    const dir = tempDir();
    const w = SegmentWriter.open(dir);
    w.log([Uint8Array.from([1, 2, 3]), new Uint8Array(WAL_PAGE_SIZE)]);
    const seg = readFileSync(join(dir, '00000000'));
    // Full fragment: type 1, length 3, CRC32C of the data, the data.
    expect(seg.subarray(0, 3).toString('hex')).toBe('010003');
    expect(seg.readUInt32BE(3)).toBe(crc32c(Uint8Array.from([1, 2, 3])));
    expect(seg.subarray(7, 10).toString('hex')).toBe('010203');
    expect(seg[10]).toBe(2); // first fragment of the big record
    expect(seg.readUInt16BE(11)).toBe(WAL_PAGE_SIZE - 10 - 7);
    expect(seg[WAL_PAGE_SIZE]).toBe(4); // last fragment starts the second page
    expect(seg.readUInt16BE(WAL_PAGE_SIZE + 1)).toBe(10 + 7);
    w.close();
  });

  it('rotates segments, never splits a record across them, and starts a new segment on reopen', () => {
    const dir = tempDir();
    const w = SegmentWriter.open(dir, { segmentSize: 2 * WAL_PAGE_SIZE });
    const records = makeRecords([40_000, 40_000, 10, 5 * WAL_PAGE_SIZE, 7]);
    for (const r of records) w.log([r]);
    expect(w.currentSegment).toBe(3);
    w.close();
    const w2 = SegmentWriter.open(dir, { segmentSize: 2 * WAL_PAGE_SIZE });
    expect(w2.currentSegment).toBe(4);
    w2.log([Uint8Array.of(9)]);
    w2.close();
    expect(listSegments(dir).map((s) => s.index)).toEqual([0, 1, 2, 3, 4]);
    const { recs, result } = readAll(dir);
    expect(result.corruption).toBeUndefined();
    expect(recs).toEqual(b64([...records, Uint8Array.of(9)]));
    const seen: number[] = [];
    readWal(dir, (_d, segment) => seen.push(segment));
    expect(seen).toEqual([0, 1, 1, 2, 3, 4]);
    const fromTwo: number[] = [];
    readWal(dir, (_d, segment) => fromTwo.push(segment), { from: 2, to: 3 });
    expect(fromTwo).toEqual([2, 3]);
  });

  it('reports a torn tail at the start of the torn record and repairs it', () => {
    const dir = tempDir();
    const w = SegmentWriter.open(dir);
    const records = makeRecords([100, 200, 2 * WAL_PAGE_SIZE]);
    w.log(records);
    w.close();
    // Keep the first two records and half of the third (it began right after them, at offset 314).
    const path = join(dir, '00000000');
    writeFileSync(path, readFileSync(path).subarray(0, WAL_PAGE_SIZE + 100));
    const { recs, result } = readAll(dir);
    expect(recs).toEqual(b64(records.slice(0, 2)));
    expect(result.corruption).toMatchObject({ dir, segment: 0, offset: 107 + 207 });
    expect(result.corruption?.reason).toMatch(/incomplete|torn/);
    expect(repairWal(result.corruption!)).toEqual({ truncatedBytes: WAL_PAGE_SIZE + 100 - 314, deletedSegments: 0 });
    const again = readAll(dir);
    expect(again.result.corruption).toBeUndefined();
    expect(again.recs).toEqual(b64(records.slice(0, 2)));
    // Appending after the repair continues in a new segment and reads back in order.
    const w2 = SegmentWriter.open(dir);
    w2.log([Uint8Array.of(1, 2)]);
    w2.close();
    expect(readAll(dir).recs).toEqual(b64([...records.slice(0, 2), Uint8Array.of(1, 2)]));
  });

  it('detects a flipped bit by checksum, naming the segment and offset, and repair drops later segments', () => {
    const dir = tempDir();
    const w = SegmentWriter.open(dir, { segmentSize: WAL_PAGE_SIZE });
    const records = makeRecords([1000, 1000, 31_000, 32_000]);
    for (const r of records) w.log([r]);
    w.close();
    expect(listSegments(dir).length).toBe(3);
    const path = join(dir, segmentName(0));
    const seg = readFileSync(path);
    seg[1007 + 7 + 500]! ^= 0x10;
    writeFileSync(path, seg);
    const { recs, result } = readAll(dir);
    expect(recs).toEqual(b64(records.slice(0, 1)));
    expect(result.corruption).toMatchObject({ segment: 0, offset: 1007 });
    expect(result.corruption?.reason).toMatch(/checksum mismatch in fragment at offset 1007/);
    expect(repairWal(result.corruption!).deletedSegments).toBe(2);
    const again = readAll(dir);
    expect(again.result.corruption).toBeUndefined();
    expect(again.recs).toEqual(b64(records.slice(0, 1)));
  });

  it.each([
    { name: 'non-zero padding', patch: (b: Buffer) => (b[WAL_PAGE_SIZE - 3] = 1), want: /non-zero byte at offset 32765/ },
    { name: 'unknown fragment type', patch: (b: Buffer) => (b[0] = 6), want: /unknown fragment type 6 at offset 0/ },
    { name: 'a last fragment without a first', patch: (b: Buffer) => (b[0] = 4), want: /unexpected last fragment at offset 0/ },
  ])('reports $name', ({ patch, want }) => {
    const dir = tempDir();
    const w = SegmentWriter.open(dir);
    w.log(makeRecords([10]));
    w.close();
    const path = join(dir, segmentName(0));
    const seg = readFileSync(path);
    patch(seg);
    writeFileSync(path, seg);
    expect(readAll(dir).result.corruption?.reason).toMatch(want);
  });

  it('refuses a WAL with a missing segment', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '00000000'), '');
    writeFileSync(join(dir, '00000002'), '');
    expect(() => readAll(dir)).toThrowError(/not sequential: 0 is followed by 2/);
  });
});

describe('WAL checkpoints', () => {
  it('writes checkpoint.N atomically with its own segments and lists it', () => {
    const dir = tempDir();
    expect(checkpointName(7)).toBe('checkpoint.00000007');
    writeCheckpoint(dir, 3, makeRecords([10, 20]));
    const cp = writeCheckpoint(dir, 7, makeRecords([30]));
    expect(listCheckpoints(dir)).toEqual([
      { index: 3, dir: join(dir, 'checkpoint.00000003') },
      { index: 7, dir: join(dir, 'checkpoint.00000007') },
    ]);
    const recs: Uint8Array[] = [];
    readWal(cp.dir, (d) => recs.push(d.slice()));
    expect(b64(recs)).toEqual(b64(makeRecords([30])));
    // Checkpoints are not segments of the WAL itself.
    expect(listSegments(dir)).toEqual([]);
  });
});
