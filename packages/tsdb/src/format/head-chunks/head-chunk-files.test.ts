import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { XorChunk } from '../chunkenc/xor-chunk.js';
import { PageCache } from '../io/page-cache.js';
import { HeadChunkFiles } from './head-chunk-files.js';

/** A chunk of `n` samples from `t0`, every second. */
function chunk(t0: number, n: number, base = 0): { mint: number; maxt: number; data: Uint8Array } {
  const c = XorChunk.create();
  const app = c.appender();
  for (let i = 0; i < n; i++) app.append(t0 + i * 1000, base + i * 0.5);
  return { mint: t0, maxt: t0 + (n - 1) * 1000, data: c.bytes().slice() };
}

const open = (dir: string, fileSize?: number) => HeadChunkFiles.open(dir, new PageCache(1 << 20), fileSize === undefined ? {} : { fileSize });
const files = (dir: string) => readdirSync(dir).sort();

describe('HeadChunkFiles', () => {
  it('serves chunks at once (buffered, then written), and lists them with their series and ranges after a reopen', () => {
    const dir = tempDir();
    const { files: store, chunks: none } = open(dir);
    expect(none).toEqual([]);
    const written = [1, 2, 1, 3].map((series, i) => ({ series, ...chunk(i * 200_000 - 400_000, 120, series) }));
    const refs = written.map((c, i) => store.write(c.series, c.mint, c.maxt, c.data, i === 3));
    expect(Buffer.from(store.chunk(refs[1]!)).equals(Buffer.from(written[1]!.data))).toBe(true);
    store.flush();
    for (const [i, ref] of refs.entries()) expect(Buffer.from(store.chunk(ref)).equals(Buffer.from(written[i]!.data))).toBe(true);
    store.close();
    expect(files(dir)).toEqual(['000001']);
    const again = open(dir);
    expect(again.repaired).toBeUndefined();
    expect(again.chunks).toEqual(written.map((c, i) => ({ seriesRef: c.series, ref: refs[i], mint: c.mint, maxt: c.maxt, samples: 120, ooo: i === 3 })));
    expect(Buffer.from(again.files.chunk(refs[2]!)).equals(Buffer.from(written[2]!.data))).toBe(true);
    // Writing after a restart starts a new file, as Prometheus does.
    const next = again.files.write(9, 1, 2, chunk(1, 2).data);
    expect(Math.floor(next / 2 ** 32)).toBe(2);
    again.files.close();
    expect(files(dir)).toEqual(['000001', '000002']);
  });

  it('checks a chunk\'s CRC at its first read: a chunk damaged on disk fails every read, its neighbour reads', () => {
    const dir = tempDir();
    const { files: store } = open(dir);
    const [a, b] = [chunk(0, 120), chunk(200_000, 120, 7)];
    const refs = [store.write(1, a.mint, a.maxt, a.data), store.write(2, b.mint, b.maxt, b.data)];
    store.flush();
    const path = join(dir, files(dir)[0]!);
    const bytes = readFileSync(path);
    bytes[(refs[1]! % 2 ** 32) + 30]! ^= 0xff;
    writeFileSync(path, bytes);
    for (let round = 0; round < 2; round++) {
      expect(Buffer.from(store.chunk(refs[0]!)).equals(Buffer.from(a.data))).toBe(true);
      expect(() => store.chunk(refs[1]!)).toThrow(/checksum mismatch/);
    }
    store.close();
  });

  it('cuts a new file when the next chunk would not fit, and drops whole old files when the head truncates', () => {
    const dir = tempDir();
    const { files: store } = open(dir, 1024);
    for (let i = 0; i < 12; i++) store.write(1, i * 1_000_000, i * 1_000_000 + 119_000, chunk(i * 1_000_000, 120).data);
    store.flush();
    const before = files(dir);
    expect(before.length).toBeGreaterThanOrEqual(3);
    for (const f of before) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(1024);
    store.truncateBefore(6_000_000);
    store.close();
    // The first file held only chunks before 6_000_000; the next one starts before it and stays.
    expect(files(dir)).not.toContain(before[0]);
    expect(files(dir)).toContain(before[1]);
    const after = open(dir).chunks;
    expect(after[0]!.mint).toBeLessThan(6_000_000);
    expect(after[0]!.mint).toBeGreaterThan(0);
    expect(after.at(-1)!.mint).toBe(11_000_000);
  });

  it.each([
    { name: 'a torn last chunk', damage: (path: string) => truncateSync(path, statSync(path).size - 7), kept: 2, problem: /runs past the end of the file; cut off there/ },
    { name: 'a flipped bit', damage: (path: string) => flip(path, statSync(path).size - 30), kept: 2, problem: /checksum mismatch.*cut off there/ },
    { name: 'a bad header', damage: (path: string) => flip(path, 0), kept: 0, problem: /bad header/ },
  ])('repairs $name: keeps the intact chunks before it and deletes every later file', ({ damage, kept, problem }) => {
    const dir = tempDir();
    const first = open(dir).files;
    for (let i = 0; i < 3; i++) first.write(1, i * 200_000, i * 200_000 + 119_000, chunk(i * 200_000, 120).data);
    first.close();
    const second = open(dir).files;
    second.write(1, 10_000_000, 10_119_000, chunk(10_000_000, 120).data);
    second.close();
    damage(join(dir, '000001'));
    const repaired = open(dir);
    expect(repaired.repaired).toMatch(problem);
    expect(repaired.chunks.map((c) => c.mint)).toEqual([0, 200_000, 400_000].slice(0, kept));
    expect(files(dir)).toEqual(kept === 0 ? [] : ['000001']);
    repaired.files.close();
  });

  it('deletes an empty last file and the files after a gap in the sequence', () => {
    const dir = tempDir();
    const store = open(dir).files;
    store.write(1, 0, 119_000, chunk(0, 120).data);
    store.close();
    writeFileSync(join(dir, '000002'), '');
    expect(open(dir).repaired).toBeUndefined();
    expect(files(dir)).toEqual(['000001']);
    writeFileSync(join(dir, '000003'), readFileSync(join(dir, '000001')));
    const opened = open(dir);
    expect(opened.repaired).toMatch(/follows a missing file/);
    expect(files(dir)).toEqual(['000001']);
    expect(opened.chunks).toHaveLength(1);
  });
});

function flip(path: string, at: number): void {
  const b = readFileSync(path);
  b[at]! ^= 0x10;
  writeFileSync(path, b);
}
