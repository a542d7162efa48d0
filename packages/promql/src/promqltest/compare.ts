import { type FloatHistogram, Labels } from '@pyrometer/model';
import type { Value } from '../value.js';
import { almostEqual } from '../engine/math-util.js';
import { histogramsMatch } from './compare-histogram.js';

/**
 * One expected point of a series line (`_` is omitted, `stale` a staleness marker, `histogram` a
 * native histogram whose counter reset hint counts only when `hintSet`).
 */
export interface ExpectedPoint {
  readonly value: number;
  readonly omitted: boolean;
  readonly stale: boolean;
  readonly histogram?: FloatHistogram | undefined;
  readonly hintSet?: boolean;
}

export interface ExpectedSeries {
  readonly labels: Labels;
  readonly values: readonly ExpectedPoint[];
  /** 1-based position among the expected lines, for `ordered`. */
  readonly position: number;
  readonly line: number;
}

/** What an eval block expects. */
export interface Expected {
  readonly series: readonly ExpectedSeries[];
  readonly scalar: number | undefined;
  readonly string: string | undefined;
}

export interface CompareParams {
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly ordered: boolean;
  /** True when the case expects an instant vector (one value per series). */
  readonly instant: boolean;
}

const EPSILON = 1e-6;

function close(actual: number, p: ExpectedPoint): boolean {
  if (p.stale) return false;
  return almostEqual(actual, p.value, EPSILON);
}

/**
 * Compares a query result with the expectation as upstream's evalCmd.compareResult: vectors as a
 * set (or by position when ordered), matrices point by point at start + i·step, floats with a
 * relative tolerance of 1e-6 where NaN equals NaN. Returns a message on mismatch.
 */
export function compareResult(value: Value, exp: Expected, p: CompareParams): string | undefined {
  const byKey = new Map<string, ExpectedSeries>();
  for (const s of exp.series) byKey.set(s.labels.key(), s);
  switch (value.type) {
    case 'string':
      if (exp.string !== value.v) return `expected string ${JSON.stringify(exp.string)} but got ${JSON.stringify(value.v)}`;
      return undefined;
    case 'scalar':
      if (exp.scalar === undefined) return `expected vector or matrix result, but got scalar ${value.v}`;
      if (!almostEqual(exp.scalar, value.v, EPSILON)) return `expected scalar ${exp.scalar} but got ${value.v}`;
      return undefined;
    case 'vector': {
      if (exp.scalar !== undefined) return `expected scalar result, but got vector of ${value.samples.length} samples`;
      const seen = new Set<string>();
      for (let pos = 0; pos < value.samples.length; pos++) {
        const s = value.samples[pos]!;
        const e = byKey.get(s.metric.key());
        if (e === undefined) return `unexpected metric ${s.metric.toString()} in result, has value ${s.f}`;
        if (p.ordered && e.position !== pos + 1) return `expected metric ${s.metric.toString()} at position ${e.position} but was at ${pos + 1}`;
        const e0 = e.values[0];
        const expH = e0?.histogram;
        if (expH === undefined && s.h !== undefined) return `expected float value ${e0?.value} for ${s.metric.toString()} but got histogram ${s.h.testExpression()}`;
        if (expH !== undefined) {
          if (s.h === undefined) return `expected histogram ${expH.testExpression()} for ${s.metric.toString()} but got float value ${s.f}`;
          if (!histogramsMatch(expH, s.h, e0?.hintSet === true)) return `expected ${expH.testExpression()} for ${s.metric.toString()} but got ${s.h.testExpression()}`;
        } else if (e0 === undefined || !close(s.f, e0)) return `expected ${e0?.value} for ${s.metric.toString()} but got ${s.f}`;
        seen.add(s.metric.key());
      }
      for (const [k, e] of byKey) if (!seen.has(k)) return `expected metric ${e.labels.toString()} with ${e.values[0]?.value} not found`;
      return undefined;
    }
    case 'matrix': {
      if (p.ordered) return 'expected ordered result, but query returned a matrix';
      if (exp.scalar !== undefined) return 'expected scalar result, but got matrix';
      for (let i = 1; i < value.series.length; i++) {
        if (Labels.compare(value.series[i - 1]!.metric, value.series[i]!.metric) > 0) return 'matrix results should always be sorted by labels';
      }
      const seen = new Set<string>();
      for (const s of value.series) {
        const e = byKey.get(s.metric.key());
        if (e === undefined) return `unexpected metric ${s.metric.toString()} in result, has ${formatPoints(s.floats)}`;
        seen.add(s.metric.key());
        const want: { t: number; p: ExpectedPoint }[] = [];
        const wantH: { t: number; p: ExpectedPoint }[] = [];
        for (let i = 0; i < e.values.length; i++) {
          const t = p.start + i * p.step;
          if (t > p.end) return `expected ${e.values.length} points for ${e.labels.toString()}, but query time range cannot return this many points`;
          if (e.values[i]!.histogram !== undefined) wantH.push({ t, p: e.values[i]! });
          else if (!e.values[i]!.omitted) want.push({ t, p: e.values[i]! });
        }
        const gotH = s.histograms ?? [];
        if (want.length !== s.floats.length || wantH.length !== gotH.length) {
          return `expected ${want.length} float points and ${wantH.length} histogram points for ${e.labels.toString()}, but got ${formatPoints(s.floats)} and ${gotH.length} histogram points`;
        }
        for (let i = 0; i < wantH.length; i++) {
          const a = gotH[i]!;
          const w = wantH[i]!;
          if (a.t !== w.t) return `expected histogram value at index ${i} for ${e.labels.toString()} to have timestamp ${w.t}, but it had timestamp ${a.t}`;
          if (!histogramsMatch(w.p.histogram!, a.h, w.p.hintSet === true)) {
            return `expected histogram value at index ${i} (t=${a.t}) for ${e.labels.toString()} to be ${w.p.histogram!.testExpression()}, but got ${a.h.testExpression()}`;
          }
        }
        for (let i = 0; i < want.length; i++) {
          const a = s.floats[i]!;
          const w = want[i]!;
          if (a.t !== w.t) return `expected float value at index ${i} for ${e.labels.toString()} to have timestamp ${w.t}, but it had timestamp ${a.t}`;
          if (!close(a.f, w.p)) return `expected float value at index ${i} (t=${a.t}) for ${e.labels.toString()} to be ${w.p.value}, but got ${a.f}`;
        }
      }
      for (const [k, e] of byKey) if (!seen.has(k)) return `expected metric ${e.labels.toString()} not found`;
      return undefined;
    }
  }
}

function formatPoints(points: readonly { t: number; f: number }[]): string {
  return `[${points.map((x) => `${x.f} @[${x.t}]`).join(', ')}]`;
}
