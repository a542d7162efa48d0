import { MetricType } from '../metric-family.js';

/** The part of a sample name after its family name. */
export type SeriesSuffix = '' | '_total' | '_created' | '_bucket' | '_count' | '_sum' | '_gcount' | '_gsum' | '_info';

const ALLOWED: Readonly<Record<MetricType, readonly SeriesSuffix[]>> = {
  counter: ['', '_total', '_created'],
  gauge: [''],
  summary: ['', '_count', '_sum', '_created'],
  untyped: [''],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum', '_created'],
  info: ['_info'],
  stateset: [''],
  unknown: [''],
};

/**
 * The suffix by which sample name `b[s, e)` belongs to family `family` of type `type`, or
 * undefined when it does not belong to that family.
 */
export function suffixFor(b: Uint8Array, s: number, e: number, family: Uint8Array, type: MetricType): SeriesSuffix | undefined {
  const fl = family.length;
  if (e - s < fl) return undefined;
  for (let i = 0; i < fl; i++) if (b[s + i] !== family[i]) return undefined;
  const rest = e - s - fl;
  for (const suffix of ALLOWED[type]) {
    if (suffix.length !== rest) continue;
    let ok = true;
    for (let i = 0; i < rest; i++) {
      if (b[s + fl + i] !== suffix.charCodeAt(i)) {
        ok = false;
        break;
      }
    }
    if (ok) return suffix;
  }
  return undefined;
}

/** Whether samples of `type` with `suffix` carry a float label value to normalise (`le`, `quantile`). */
export function normalisedLabel(type: MetricType, suffix: SeriesSuffix): string | undefined {
  if ((type === MetricType.Histogram || type === MetricType.GaugeHistogram) && suffix === '_bucket') return 'le';
  if (type === MetricType.Summary && suffix === '') return 'quantile';
  return undefined;
}

export const TEXT_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
export const OPENMETRICS_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown']);
