import type { Labels } from '@pyrometer/model';
import type { FPoint, Series } from '../value.js';

/** A series' float points as parallel columns: times (ms, increasing) and values. */
export interface MatrixColumns {
  readonly ts: ArrayLike<number>;
  readonly fs: ArrayLike<number>;
}

/** The columns behind the engine's matrix series whose `floats` were not replaced. */
const COLUMNS = new WeakMap<Series, MatrixColumns>();

/**
 * A matrix series as the engine answers it: `floats` is built from the evaluation's columns on
 * first read, so an encoder that reads {@link matrixColumns} never makes an object per point (a
 * dashboard answer has millions). Assigning `floats` replaces the columns.
 */
export function matrixSeries(metric: Labels, columns: MatrixColumns): Series {
  let points: FPoint[] | undefined;
  const series: Series = {
    metric,
    get floats(): FPoint[] {
      return (points ??= Array.from(columns.ts, (t, i) => ({ t, f: columns.fs[i]! })));
    },
    set floats(replaced: FPoint[]) {
      points = replaced;
      COLUMNS.delete(series);
    },
  };
  COLUMNS.set(series, columns);
  return series;
}

/** The columns of a series made by {@link matrixSeries} (undefined for any other, or once its `floats` were replaced). */
export function matrixColumns(series: Series): MatrixColumns | undefined {
  return COLUMNS.get(series);
}
