/** Label pairs in the order Flink's `getAllVariables()` yields them (names without `<>`). */
export type LabelPairs = ReadonlyArray<readonly [string, string]>;

export interface Sample {
  /** Suffix after the family name (`_count` for summaries), or ''. */
  suffix: string;
  labels: LabelPairs;
  value: number;
}

/** One exported family as simpleclient's `MetricFamilySamples`. */
export interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'summary';
  samples: Sample[];
}

const INVALID_NAME_CHARS = /[^a-zA-Z0-9:_]/g;

/**
 * Collects a process's metrics into families named as AbstractPrometheusReporter names them:
 * `flink_<logical scope>_<sub groups>_<metric>` with every character outside `[a-zA-Z0-9:_]`
 * replaced by `_`, and HELP `<metric> (scope: <logical scope>_<sub groups>)`. Families keep the
 * order of their first registration.
 */
export class MetricsBuilder {
  private readonly families = new Map<string, Family>();

  /** A Counter, Gauge or Meter (all exported as gauges by Flink). */
  gauge(scope: string, groups: readonly string[], metric: string, labels: LabelPairs, value: number): void {
    this.family(scope, groups, metric, 'gauge').samples.push({ suffix: '', labels, value });
  }

  /** A Flink Histogram: a summary with `_count` first, then quantiles .5 .75 .95 .98 .99 .999, and no `_sum`. */
  histogram(scope: string, groups: readonly string[], metric: string, labels: LabelPairs, count: number, quantiles: readonly number[]): void {
    const family = this.family(scope, groups, metric, 'summary');
    family.samples.push({ suffix: '_count', labels, value: count });
    const qs = ['0.5', '0.75', '0.95', '0.98', '0.99', '0.999'];
    qs.forEach((q, i) => family.samples.push({ suffix: '', labels: [...labels, ['quantile', q]], value: quantiles[i] ?? 0 }));
  }

  build(): Family[] {
    return [...this.families.values()];
  }

  private family(scope: string, groups: readonly string[], metric: string, type: Family['type']): Family {
    const logicalScope = [scope, ...groups].join('_');
    const name = `flink_${logicalScope}_${metric}`.replace(INVALID_NAME_CHARS, '_');
    let family = this.families.get(name);
    if (family === undefined) {
      family = { name, help: `${metric} (scope: ${logicalScope})`, type, samples: [] };
      this.families.set(name, family);
    }
    return family;
  }
}
