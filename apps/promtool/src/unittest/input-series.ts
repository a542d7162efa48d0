import type { FloatHistogram, Labels } from '@pyrometer/model';
import { parseSeriesDescription } from '@pyrometer/promql/parser';
import type { Appendable } from '@pyrometer/storage';
import { PromtoolError } from '../errors.js';
import type { InputSeries } from './test-file.js';

interface PendingSample {
  readonly t: number;
  readonly value: number;
  readonly stale: boolean;
  readonly histogram: FloatHistogram | undefined;
}

/**
 * A test group's `input_series`, appended lazily (upstream's `promqltest.LazyLoader`): the n-th
 * value of a series is at `start + n·interval`, `_` skips a step, `stale` writes a staleness
 * marker, `{{…}}` a native histogram. {@link appendTill} writes the samples up to a time, so rule output and input samples
 * reach the storage in time order. A series written twice keeps its last definition.
 */
export class InputSeriesLoader {
  private readonly pending = new Map<string, { labels: Labels; samples: PendingSample[]; next: number }>();

  /** Parses every series; throws a {@link PromtoolError} (`input_series`) with the parser's position for the first bad one. */
  constructor(series: readonly InputSeries[], intervalMs: number, startMs: number) {
    for (const { series: selector, values } of series) {
      let description;
      try {
        description = parseSeriesDescription(`${selector} ${values}`);
      } catch (err) {
        throw new PromtoolError('input_series', (err as Error).message, { cause: err });
      }
      const samples: PendingSample[] = [];
      description.values.forEach((v, i) => {
        if (!v.omitted) samples.push({ t: startMs + i * intervalMs, value: v.value, stale: v.stale, histogram: v.histogram });
      });
      this.pending.set(description.labels.key(), { labels: description.labels, samples, next: 0 });
    }
  }

  /** Appends, in one commit, every sample at or before `t` (ms) not appended yet. Rejects with the storage's error. */
  async appendTill(storage: Appendable, t: number): Promise<void> {
    const app = storage.appender();
    for (const series of this.pending.values()) {
      while (series.next < series.samples.length && series.samples[series.next]!.t <= t) {
        const s = series.samples[series.next++]!;
        if (s.histogram === undefined) app.append(0, series.labels, s.t, s.value, s.stale);
        else app.appendHistogram(0, series.labels, s.t, s.histogram);
      }
    }
    await app.commit();
  }
}
