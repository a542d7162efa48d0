import type { FloatHistogram, Labels } from '@pyrometer/model';

/**
 * A float point of a series: `t` in ms since the Unix epoch, `f` the value. Points are plain
 * objects owned by the series that holds them; the engine never mutates a point it handed out.
 */
export interface FPoint {
  t: number;
  f: number;
}

/** A native histogram point of a series: `t` in ms, `h` owned by the series (treat as read-only). */
export interface HPoint {
  t: number;
  h: FloatHistogram;
}

/**
 * One element of an instant vector: a float `f`, or a native histogram `h` (then `f` is 0 and
 * meaningless). `dropName` marks a sample whose `__name__` is to be removed
 * at the end of evaluation (delayed name removal); the public result never has it set.
 */
export interface Sample {
  metric: Labels;
  t: number;
  f: number;
  h?: FloatHistogram | undefined;
  dropName?: boolean;
}

/** One series of a range vector: float and histogram points, each list in increasing time order. */
export interface Series {
  metric: Labels;
  floats: FPoint[];
  histograms?: HPoint[];
  dropName?: boolean;
}

/** A query result, tagged with the HTTP API's `resultType`. */
export type Value =
  | { readonly type: 'vector'; readonly samples: Sample[] }
  | { readonly type: 'matrix'; readonly series: Series[] }
  | { readonly type: 'scalar'; readonly t: number; readonly v: number }
  | { readonly type: 'string'; readonly t: number; readonly v: string };

/** The value types PromQL expressions have. */
export type ValueTypeName = Value['type'];
