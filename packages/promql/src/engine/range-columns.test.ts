import { FloatHistogram, Labels } from '@pyrometer/model';
import { MemoryStorage } from '@pyrometer/storage';
import { describe, expect, it } from 'vitest';
import { matrixColumns } from './matrix-series.js';
import { Engine } from './engine.js';
import { RangeColumns, TYPED_COLUMNS_MIN_STEPS } from './range-columns.js';

const METRIC = Labels.from({ __name__: 'x' });

describe('RangeColumns', () => {
  it('gives a long grid typed columns sized once, a short grid plain arrays, both read alike', () => {
    for (const steps of [10, TYPED_COLUMNS_MIN_STEPS + 1]) {
      const out = new RangeColumns(steps).series(METRIC, false, 2);
      for (let k = 2; k < 5; k++) out.append(k * 1000, k / 2, undefined);
      const series = out.finish();
      expect(series.ts instanceof Float64Array).toBe(steps > TYPED_COLUMNS_MIN_STEPS);
      expect([Array.from(series.ts), Array.from(series.fs), out.lastTs]).toEqual([[2000, 3000, 4000], [1, 1.5, 2], 4000]);
    }
  });

  it('reserves typed columns up to its limit, then grows plain arrays', () => {
    const steps = TYPED_COLUMNS_MIN_STEPS * 2;
    const columns = new RangeColumns(steps, steps + TYPED_COLUMNS_MIN_STEPS);
    const kinds = [0, TYPED_COLUMNS_MIN_STEPS, 0].map((step) => {
      const out = columns.series(METRIC, true, step);
      out.append(step, 1, undefined);
      const series = out.finish();
      expect(series.dropName).toBe(true);
      return series.fs instanceof Float64Array;
    });
    expect(kinds).toEqual([true, true, false]);
  });

  it('keeps histogram points beside typed columns, floats before the first one undefined', () => {
    const out = new RangeColumns(TYPED_COLUMNS_MIN_STEPS + 1).series(METRIC, false, 0);
    const h = new FloatHistogram();
    out.append(0, 7, undefined);
    out.append(1000, 0, h);
    expect(out.finish()).toMatchObject({ ts: new Float64Array([0, 1000]), fs: new Float64Array([7, 0]), hs: [undefined, h] });
  });
});

describe('a subquery over a grid of more steps than plain arrays are grown for', () => {
  const steps = TYPED_COLUMNS_MIN_STEPS + 50_000;
  const rangeS = steps - 1;

  it('counts and sums every step of the inner evaluation', async () => {
    const engine = new Engine();
    const storage = new MemoryStorage();
    const at = rangeS * 1000;
    const count = await engine.instantQuery(storage, `count_over_time(vector(1)[${rangeS}s:1s])`, at).exec();
    expect(count.value).toEqual({ type: 'vector', samples: [{ metric: Labels.EMPTY, t: at, f: rangeS }] });
    // time() > half keeps the second half of the steps: a series whose points start mid-grid.
    const half = Math.floor(rangeS / 2);
    const kept = await engine.instantQuery(storage, `count_over_time((vector(time()) > ${half})[${rangeS}s:1s])`, at).exec();
    expect(kept.value).toEqual({ type: 'vector', samples: [{ metric: Labels.EMPTY, t: at, f: rangeS - half }] });
  });

  it('answers an instant subquery as a matrix of every step, its columns typed', async () => {
    const engine = new Engine();
    const at = rangeS * 1000;
    const result = await engine.instantQuery(new MemoryStorage(), `vector(3)[${rangeS}s:1s]`, at).exec();
    if (result.value.type !== 'matrix') throw new Error(`expected a matrix, got ${result.value.type}`);
    const [series] = result.value.series;
    const columns = matrixColumns(series!)!;
    expect(columns.ts).toBeInstanceOf(Float64Array);
    expect(columns.ts.length).toBe(rangeS);
    expect([columns.ts[0], columns.ts[rangeS - 1], columns.fs[0], columns.fs[rangeS - 1]]).toEqual([1000, at, 3, 3]);
    expect(series!.floats[rangeS - 1]).toEqual({ t: at, f: 3 });
  });
});
