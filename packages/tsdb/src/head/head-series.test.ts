import { Labels } from '@pyrometer/model';
import { ValueType } from '@pyrometer/storage';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { ByteSlab, HeadChunkFiles, PageCache, XorEncoders, XorIterator } from '../format/index.js';
import { HeadSeries, SAMPLES_PER_CHUNK } from './head-series.js';

const HOUR = 3_600_000;

/** A real slab that also records the size of every reservation made from it. */
class RecordingSlab extends ByteSlab {
  readonly reservations: number[] = [];
  override reserve(n: number): number {
    this.reservations.push(n);
    return super.reserve(n);
  }
}

describe('HeadSeries chunk reservations', () => {
  it("reserves a new chunk by the closed chunk's size, so a series of steady shape stops growing after its first chunk", () => {
    const store = HeadChunkFiles.open(tempDir(), new PageCache(1 << 20)).files;
    const slab = new RecordingSlab();
    const s = new HeadSeries(1, Labels.from({ __name__: 'requests_total' }), new XorEncoders(slab, 1, SAMPLES_PER_CHUNK));
    // A counter at 1 s whose increments vary, as real ones do: ~2.5 bytes per sample.
    const value = (i: number) => i * 10 + (i * 7919) % 13;
    const chunks = 4;
    for (let i = 0; i < chunks * SAMPLES_PER_CHUNK; i++) s.append(1_000 * i, value(i), false, 2 * HOUR, store);
    const [first, grown, ...later] = slab.reservations;
    // The first chunk starts at the default 128 bytes and grows once, to what its samples so far
    // project for a full chunk (at least what it took, at most about an eighth more, where tripling
    // took 384); every later one is reserved once, by the size of the chunk before it, and never grows.
    expect(first).toBe(128);
    const firstClosed = store.chunk(s.chunkRef(0)).length;
    expect(grown).toBeGreaterThanOrEqual(firstClosed);
    expect(grown).toBeLessThan(firstClosed * 1.25);
    expect(later).toHaveLength(chunks - 1);
    // Each is what the chunk before it took, plus a margin.
    later.forEach((r, k) => {
      const closed = store.chunk(s.chunkRef(k)).length;
      expect(r).toBeGreaterThanOrEqual(closed);
      expect(r).toBeLessThan(closed * 1.25);
    });
    // And the samples read back whole.
    const it = new XorIterator();
    it.reset(s.openView()!);
    let n = 0;
    while (it.next() === ValueType.Float) expect(it.atF()).toBe(value((chunks - 1) * SAMPLES_PER_CHUNK + n++));
    expect(n).toBe(SAMPLES_PER_CHUNK);
  });

  it('scales the reservation of a chunk cut short by the block range up to a full chunk', () => {
    const store = HeadChunkFiles.open(tempDir(), new PageCache(1 << 20)).files;
    const slab = new RecordingSlab();
    const s = new HeadSeries(1, Labels.from({ __name__: 'g' }), new XorEncoders(slab, 1, SAMPLES_PER_CHUNK));
    // 30 samples, then the block range (a minute here) ends the chunk.
    for (let i = 0; i < 31; i++) s.append(2_000 * i, i * 1.5, false, 60_000, store);
    const closed = store.chunk(s.chunkRef(0)).length;
    expect(slab.reservations).toEqual([128, expect.any(Number)]);
    expect(slab.reservations[1]).toBeGreaterThanOrEqual(Math.floor((closed * SAMPLES_PER_CHUNK) / 30));
  });
});
