import { Labels } from '@pyrometer/model';
import { MemoryStorage } from '@pyrometer/storage';
import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import { matrixColumns, matrixSeries } from './matrix-series.js';

describe('matrix series (columns behind lazily built points)', () => {
  it('builds its points from the columns once, and assigning points drops the columns', () => {
    const columns = { ts: [1000, 2000], fs: [0.5, 7] };
    const s = matrixSeries(Labels.from({ job: 'a' }), columns);
    expect(matrixColumns(s)).toBe(columns);
    expect(s.floats).toEqual([{ t: 1000, f: 0.5 }, { t: 2000, f: 7 }]);
    expect(s.floats).toBe(s.floats);
    s.floats = [{ t: 3000, f: 1 }];
    expect(s.floats).toEqual([{ t: 3000, f: 1 }]);
    expect(matrixColumns(s)).toBeUndefined();
    expect(matrixColumns({ metric: Labels.EMPTY, floats: [] })).toBeUndefined();
  });

  it('is what a range query answers: columns and points agree', async () => {
    const storage = new MemoryStorage();
    const app = storage.appender();
    for (let t = 0; t <= 60_000; t += 15_000) app.append(0, Labels.from({ __name__: 'x', job: 'a' }), t, t / 1000);
    await app.commit();
    const { value } = await new Engine().rangeQuery(storage, 'x * 2', 0, 60_000, 15_000).exec();
    if (value.type !== 'matrix') throw new Error(`expected a matrix, got ${value.type}`);
    const s = value.series[0]!;
    const columns = matrixColumns(s)!;
    expect([Array.from(columns.ts), Array.from(columns.fs)]).toEqual([[0, 15_000, 30_000, 45_000, 60_000], [0, 30, 60, 90, 120]]);
    expect(s.floats.map((p) => [p.t, p.f])).toEqual([[0, 0], [15_000, 30], [30_000, 60], [45_000, 90], [60_000, 120]]);
  });
});
