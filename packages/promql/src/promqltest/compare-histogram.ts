import { customBoundsMatch, type FloatHistogram, spansMatch } from '@pyrometer/model';
import { almostEqual } from '../engine/math-util.js';

const EPSILON = 1e-6;

function bucketsClose(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => almostEqual(x, b[i]!, EPSILON));
}

/**
 * Whether a result histogram matches the expected one as upstream's promqltest compares them:
 * both compacted, the same schema, zero threshold, spans and custom bounds, counts, sum and
 * buckets within the relative tolerance, and the counter reset hint only when the expectation
 * spelled it out (`hintSet`).
 */
export function histogramsMatch(expected: FloatHistogram, actual: FloatHistogram, hintSet: boolean): boolean {
  const exp = expected.copy().compact(0);
  const cur = actual.copy().compact(0);
  if (exp.schema !== cur.schema || !almostEqual(exp.count, cur.count, EPSILON) || !almostEqual(exp.sum, cur.sum, EPSILON)) return false;
  if (exp.usesCustomBuckets() && !customBoundsMatch(exp.customValues, cur.customValues)) return false;
  if (exp.zeroThreshold !== cur.zeroThreshold || !almostEqual(exp.zeroCount, cur.zeroCount, EPSILON)) return false;
  if (!spansMatch(exp.negativeSpans, cur.negativeSpans) || !bucketsClose(exp.negativeBuckets, cur.negativeBuckets)) return false;
  if (!spansMatch(exp.positiveSpans, cur.positiveSpans) || !bucketsClose(exp.positiveBuckets, cur.positiveBuckets)) return false;
  return !hintSet || exp.counterResetHint === cur.counterResetHint;
}

