import type { Labels } from '@pyrometer/model';
import { execError } from '../errors.js';
import type { EvalSeries } from './series-data.js';

/** Whether two elements (samples of one step, or series) have equal label sets. */
export function containsSameLabelset(vec: readonly { readonly metric: Labels }[]): boolean {
  if (vec.length < 2) return false;
  const seen = new LabelsetIndex<{ readonly metric: Labels }>();
  for (const s of vec) if (seen.addOrGet(s) !== undefined) return true;
  return false;
}

/**
 * Elements by label set, found by the set's hash (computed once per element, without building its
 * key string: these checks run on every series of every rule each round, and the key strings were
 * most of their cost and garbage). Elements whose different sets share a hash are compared.
 */
class LabelsetIndex<T extends { readonly metric: Labels }> {
  private readonly byHash = new Map<number, T>();
  /** Elements whose hash an element with another label set holds in `byHash` (hardly ever any). */
  private readonly collided: T[] = [];

  /** Adds `element` unless an element with its label set is there already: returns that one, else undefined (added). */
  addOrGet(element: T): T | undefined {
    const labels = element.metric;
    const h = labels.hash();
    const first = this.byHash.get(h);
    if (first === undefined) {
      this.byHash.set(h, element);
      return undefined;
    }
    if (first.metric.equals(labels)) return first;
    const found = this.collided.find((e) => e.metric.equals(labels));
    if (found === undefined) this.collided.push(element);
    return found;
  }
}

/** Merges series whose label sets became equal (after name removal); overlapping points are an error. */
export function mergeSameLabelsets(mat: EvalSeries[]): EvalSeries[] {
  if (mat.length < 2) return mat;
  const byLabels = new LabelsetIndex<EvalSeries>();
  const merged: EvalSeries[] = [];
  let dup = false;
  for (const s of mat) {
    const prev = byLabels.addOrGet(s);
    if (prev === undefined) merged.push(s);
    else {
      dup = true;
      const points = Array.from(prev.ts, (t, i) => ({ t, f: prev.fs[i]!, h: prev.hs?.[i] })).concat(Array.from(s.ts, (t, i) => ({ t, f: s.fs[i]!, h: s.hs?.[i] })));
      points.sort((a, b) => a.t - b.t);
      for (let i = 1; i < points.length; i++) {
        if (points[i]!.t === points[i - 1]!.t) throw execError('vector cannot contain metrics with the same labelset');
      }
      prev.ts = points.map((p) => p.t);
      prev.fs = points.map((p) => p.f);
      if (prev.hs !== undefined || s.hs !== undefined) prev.hs = points.map((p) => p.h);
    }
  }
  return dup ? merged : mat;
}
