import { formatGoFloat } from '../go-float.js';
import { formatBucket } from './bucket.js';
import { CounterResetHint } from './counter-reset-hint.js';
import type { FloatHistogram } from './float-histogram.js';

/** Go's `%g`. */
const g = (v: number): string => formatGoFloat(v, 'g');

/** Go's `%v` for a float64: shortest digits, exponent form below 1e-4 and from 1e21. */
function goV(v: number): string {
  if (!Number.isFinite(v) || v === 0) return formatGoFloat(v, 'g');
  const exp = Number(v.toExponential().split('e')[1]);
  return exp < -4 || exp >= 21 ? formatGoFloat(v, 'e') : formatGoFloat(v, 'f');
}

/** Go's `FloatHistogram.String()`: `{count:2, sum:3, [-1,-0.5):1, [-0.001,0.001]:1}` (populated buckets, ascending). */
export function histogramString(h: FloatHistogram): string {
  let out = `{count:${g(h.count)}, sum:${g(h.sum)}`;
  for (const b of h.negativeBucketList().reverse()) if (b.count !== 0) out += `, ${formatBucket(b, goV, g)}`;
  if (h.zeroCount !== 0) out += `, ${formatBucket(h.zeroBucket(), goV, g)}`;
  for (const b of h.positiveBucketList()) if (b.count !== 0) out += `, ${formatBucket(b, goV, g)}`;
  return `${out}}`;
}

const HINT_WORDS: Record<CounterResetHint, string | undefined> = {
  [CounterResetHint.Unknown]: undefined,
  [CounterResetHint.CounterReset]: 'reset',
  [CounterResetHint.NotCounterReset]: 'not_reset',
  [CounterResetHint.Gauge]: 'gauge',
};

/**
 * The histogram in the `{{…}}` notation of promqltest scripts and rule unit tests (only fields
 * that are not zero), after compacting each side into one span.
 */
export function histogramTestExpression(h: FloatHistogram): string {
  const m = h.copy().compact(Number.MAX_SAFE_INTEGER);
  const parts: string[] = [];
  if (m.schema !== 0) parts.push(`schema:${m.schema}`);
  if (m.count !== 0) parts.push(`count:${g(m.count)}`);
  if (m.sum !== 0) parts.push(`sum:${g(m.sum)}`);
  if (m.zeroCount !== 0) parts.push(`z_bucket:${g(m.zeroCount)}`);
  if (m.zeroThreshold !== 0) parts.push(`z_bucket_w:${g(m.zeroThreshold)}`);
  if (m.usesCustomBuckets()) parts.push(`custom_values:[${(m.customValues ?? []).map(g).join(' ')}]`);
  const hint = HINT_WORDS[m.counterResetHint];
  if (hint !== undefined) parts.push(`counter_reset_hint:${hint}`);
  const side = (bucketsKey: string, offsetKey: string, buckets: readonly number[], offset: number | undefined): void => {
    if (offset !== undefined && offset !== 0) parts.push(`${offsetKey}:${offset}`);
    if (buckets.length > 0) parts.push(`${bucketsKey}:[${buckets.map(g).join(' ')}]`);
  };
  side('buckets', 'offset', m.positiveBuckets, m.positiveSpans[0]?.offset);
  side('n_buckets', 'n_offset', m.negativeBuckets, m.negativeSpans[0]?.offset);
  return `{{${parts.join(' ')}}}`;
}
