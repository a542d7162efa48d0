import type { Labels } from '@pyrometer/model';
import type { AggregateExpr } from '../parser/index.js';
import { type EvalSeries, evalSeries, type GrowingSeries } from './series-data.js';
import type { Evaluator } from './evaluator.js';

/** Above this k, a group's points of a step are sorted whole instead of kept in a bounded list. */
const BOUNDED_K = 64;

/**
 * `topk`, `bottomk`, `limitk` and `limit_ratio` over every step (upstream's aggregationK). Per step
 * and group, topk/bottomk keep the k best points seen so far in a small sorted list of series
 * indexes (a point enters only if it beats the list's last; ties keep input order, as upstream's
 * stable order does), so a step costs one comparison per point and no object per point; limitk
 * keeps the first k. A k above {@link BOUNDED_K} sorts the group's points instead.
 */
export function aggregateK(ev: Evaluator, e: AggregateExpr, input: readonly EvalSeries[], seriesToGroup: readonly number[], groupCount: number, params: readonly number[], cursors: Int32Array): EvalSeries[] {
  const instant = ev.s.start === ev.s.end;
  const bySeries = new Map<string, GrowingSeries>();
  const keys: (string | undefined)[] = new Array<string | undefined>(input.length);
  const order: EvalSeries[] = [];
  const desc = e.op === 'topk';
  // Per group: the series indexes kept at this step, best first, and their values.
  const kept: number[][] = Array.from({ length: groupCount }, () => []);
  const keptValues: number[][] = Array.from({ length: groupCount }, () => []);
  const values = new Float64Array(input.length);
  const present = new Uint8Array(input.length);
  let step = 0;
  for (let ts = ev.s.start; ts <= ev.s.end; ts += ev.s.interval, step++) {
    ev.checkAbort();
    const p = params[step]!;
    for (let gi = 0; gi < groupCount; gi++) {
      kept[gi]!.length = 0;
      keptValues[gi]!.length = 0;
    }
    for (let si = 0; si < input.length; si++) {
      const src = input[si]!;
      const k = cursors[si]!;
      present[si] = 0;
      if (src.ts[k] !== ts) continue;
      cursors[si] = k + 1;
      present[si] = 1;
      values[si] = src.fs[k]!;
    }
    if (e.op === 'limit_ratio') {
      if (p === 0) continue;
      const r = Math.max(-1, Math.min(1, p));
      for (let si = 0; si < input.length; si++) if (present[si] === 1 && addRatioSample(r, input[si]!.metric)) kept[seriesToGroup[si]!]!.push(si);
    } else {
      const k = Math.min(Math.trunc(p), input.length);
      if (!(k >= 1)) continue;
      for (let si = 0; si < input.length; si++) {
        if (present[si] === 0) continue;
        const gi = seriesToGroup[si]!;
        const list = kept[gi]!;
        if (e.op === 'limitk' || k > BOUNDED_K) {
          if (e.op !== 'limitk' || list.length < k) list.push(si);
          continue;
        }
        insertBounded(list, keptValues[gi]!, si, values[si]!, k, desc);
      }
      if (e.op !== 'limitk' && k > BOUNDED_K) {
        for (let gi = 0; gi < groupCount; gi++) {
          // Array.prototype.sort is stable: ties keep input order.
          kept[gi] = kept[gi]!.sort((a, b) => compareForK(values[a]!, values[b]!, desc)).slice(0, k);
        }
      }
    }
    for (const list of kept) {
      for (const si of list) {
        const src = input[si]!;
        const key = (keys[si] ??= src.metric.key());
        let series = bySeries.get(key);
        if (series === undefined || instant) {
          series = evalSeries(src.metric, [], [], src.dropName);
          bySeries.set(key, series);
          order.push(series);
        }
        series.ts.push(ts);
        series.fs.push(values[si]!);
      }
    }
  }
  return order;
}

/**
 * Inserts series `si` with value `f` into `list` (best first, at most `k` long, `listValues` its
 * values) after every entry that is not worse, so equal values keep input order; drops the last
 * entry when the list grows past `k`.
 */
function insertBounded(list: number[], listValues: number[], si: number, f: number, k: number, desc: boolean): void {
  let at = list.length;
  if (at === k && compareForK(f, listValues[at - 1]!, desc) >= 0) return;
  while (at > 0 && compareForK(f, listValues[at - 1]!, desc) < 0) at--;
  list.splice(at, 0, si);
  listValues.splice(at, 0, f);
  if (list.length > k) {
    list.length = k;
    listValues.length = k;
  }
}

/** Order for topk (desc) / bottomk (asc); NaN always last, ties keep input order (stable sort). */
function compareForK(a: number, b: number, desc: boolean): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return desc ? b - a : a - b;
}

/** limit_ratio's deterministic sampling: a label set's offset in [0, 1) derived from its hash. */
function addRatioSample(ratio: number, metric: Labels): boolean {
  const offset = metric.hash() / 2 ** 53;
  return (ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1 + ratio);
}
