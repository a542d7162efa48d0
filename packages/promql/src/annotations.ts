import { goQuote } from '@pyrometer/model';

/** Where in the query text an annotation points: character offsets, `end` exclusive. */
export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

/** One warning or info, as upstream's util/annotations produces them. */
export interface Annotation {
  readonly severity: 'warning' | 'info';
  /** The text without position, e.g. `PromQL info: metric might not be a counter, …: "foo"`. */
  readonly message: string;
  readonly position?: PositionRange;
}

/**
 * A de-duplicating collection of annotations, keyed by message (the first position wins), kept in
 * insertion order. Owned by one query evaluation; not shared between queries.
 */
export class Annotations {
  readonly #byMessage = new Map<string, Annotation>();

  add(annotation: Annotation): void {
    if (!this.#byMessage.has(annotation.message)) this.#byMessage.set(annotation.message, annotation);
  }

  merge(other: Annotations): void {
    for (const a of other.all()) this.add(a);
  }

  all(): Annotation[] {
    return [...this.#byMessage.values()];
  }

  get size(): number {
    return this.#byMessage.size;
  }

  /** Messages of one severity, without positions. */
  messages(severity: Annotation['severity']): string[] {
    return this.all()
      .filter((a) => a.severity === severity)
      .map((a) => a.message);
  }

  /** Messages of one severity with upstream's ` (line:column)` suffix computed against `query`. */
  format(severity: Annotation['severity'], query: string): string[] {
    return this.all()
      .filter((a) => a.severity === severity)
      .map((a) => (a.position === undefined ? a.message : `${a.message} (${lineColumn(query, a.position.start)})`));
  }
}

/** 1-based `line:column` of a character offset, as upstream's `StartPosInput`. */
function lineColumn(query: string, offset: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < query.length; i++) {
    if (query[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return `${line}:${col}`;
}

const WARN = 'PromQL warning';
const INFO = 'PromQL info';

function warn(message: string, position?: PositionRange): Annotation {
  return position === undefined ? { severity: 'warning', message: `${WARN}: ${message}` } : { severity: 'warning', message: `${WARN}: ${message}`, position };
}

function info(message: string, position?: PositionRange): Annotation {
  return position === undefined ? { severity: 'info', message: `${INFO}: ${message}` } : { severity: 'info', message: `${INFO}: ${message}`, position };
}

function withMetricName(text: string, metricName: string): string {
  return metricName === '' ? text : `${text} for metric name ${goQuote(metricName)}`;
}


/** Constructors for the annotations the engine emits, worded as prom:util/annotations. */
export const annotations = {
  invalidQuantile: (q: number, pos?: PositionRange) => warn(`quantile value should be between 0 and 1, got ${formatG(q)}`, pos),
  invalidRatio: (q: number, to: number, pos?: PositionRange) => warn(`ratio value should be between -1 and 1, got ${formatG(q)}, capping to ${formatG(to)}`, pos),
  badBucketLabel: (metricName: string, label: string, pos?: PositionRange) =>
    warn(withMetricName(`bucket label "le" is missing or has a malformed value of ${goQuote(label)}`, metricName), pos),
  sortInRangeQuery: (pos?: PositionRange) => warn('sort is ineffective for range queries since results are always ordered by labels', pos),
  possibleNonCounter: (metricName: string, pos?: PositionRange) =>
    info(`metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${goQuote(metricName)}`, pos),
  possibleNonCounterLabel: (metricName: string, typeLabel: string, pos?: PositionRange) =>
    info(`metric might not be a counter, __type__ label is not set to "counter" or "histogram", got ${goQuote(typeLabel)}: ${goQuote(metricName)}`, pos),
  nativeHistogramQuantileNaNResult: (metricName: string, pos?: PositionRange) =>
    info(withMetricName('input to histogram_quantile has NaN observations, result is NaN', metricName), pos),
  nativeHistogramQuantileNaNSkew: (metricName: string, pos?: PositionRange) =>
    info(withMetricName('input to histogram_quantile has NaN observations, result is skewed higher', metricName), pos),
  nativeHistogramFractionNaNs: (metricName: string, pos?: PositionRange) =>
    info(withMetricName('input to histogram_fraction has NaN observations, which are excluded from all fractions', metricName), pos),
  incompatibleTypesInBinOp: (lhsType: string, op: string, rhsType: string, pos?: PositionRange) =>
    info(`incompatible sample types encountered for binary operator ${goQuote(op)}: ${lhsType} ${op} ${rhsType}`, pos),
  incompatibleBucketLayoutInBinOp: (op: string, pos?: PositionRange) => warn(`incompatible bucket layout encountered for binary operator ${op}`, pos),
  histogramCounterResetCollision: (operation: 'addition' | 'subtraction' | 'aggregation', pos?: PositionRange) =>
    warn(`conflicting counter resets during histogram ${operation}`, pos),
  mismatchedCustomBuckets: (operation: 'addition' | 'subtraction' | 'aggregation', pos?: PositionRange) =>
    info(`mismatched custom buckets were reconciled during ${operation}`, pos),
  mixedExponentialCustomHistograms: (metricName: string, pos?: PositionRange) =>
    warn(`vector contains a mix of histograms with exponential and custom buckets schemas for metric name ${goQuote(metricName)}`, pos),
  mixedFloatsHistogramsAggregation: (pos?: PositionRange) => warn('encountered a mix of histograms and floats for aggregation', pos),
  histogramIgnoredInAggregation: (aggregation: string, pos?: PositionRange) => info(`ignored histogram in ${aggregation} aggregation`, pos),
  histogramQuantileForcedMonotonicity: (metricName: string, pos?: PositionRange) =>
    info(
      withMetricName('input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)', metricName),
      pos,
    ),
};

/** Go's `%g` for the numbers annotations print. */
export function formatG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const exp = v === 0 ? 0 : Math.floor(Math.log10(Math.abs(v)));
  if (exp < -4 || exp >= 21) {
    const [mant, e] = v.toExponential().split('e');
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(v);
}
