import { CounterResetHint, FloatHistogram, Histogram, customBoundsMatch } from '@pyrometer/model';
import type { StoredHistogram } from '../array-iterator.js';

/**
 * The counter reset hint a histogram sample reads back with, as Prometheus's TSDB reports it:
 * a gauge stays a gauge; a counter histogram that continues the previous sample (same kind,
 * schema, zero threshold and custom bounds, no counter reset, neither hinted as a reset nor
 * following a gauge) reads `NotCounterReset`, as every sample after the first of a chunk does
 * there; any other reads `Unknown` (upstream starts a new chunk, whose first sample it reports
 * as unknown). Upstream also cuts chunks by size, which an array store has no notion of.
 */
export function readHint(current: StoredHistogram, previous: StoredHistogram | undefined): CounterResetHint {
  const hint = current.counterResetHint;
  if (hint === CounterResetHint.Gauge) return hint;
  if (previous === undefined || hint === CounterResetHint.CounterReset || previous.counterResetHint === CounterResetHint.Gauge) return CounterResetHint.Unknown;
  if (current instanceof Histogram !== previous instanceof Histogram) return CounterResetHint.Unknown;
  if (current.schema !== previous.schema || current.zeroThreshold !== previous.zeroThreshold || !customBoundsMatch(current.customValues, previous.customValues)) {
    return CounterResetHint.Unknown;
  }
  const cur = asFloat(current);
  cur.counterResetHint = CounterResetHint.Unknown;
  return cur.detectReset(asFloat(previous)) ? CounterResetHint.Unknown : CounterResetHint.NotCounterReset;
}

function asFloat(h: StoredHistogram): FloatHistogram {
  return h instanceof FloatHistogram ? h.copy() : h.toFloat();
}
