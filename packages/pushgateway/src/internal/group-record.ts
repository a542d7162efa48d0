import type { MetricFamily } from '@pyrometer/exposition';
import type { GroupingLabels } from '../grouping-key.js';
import type { GroupSnapshot, StoredFamily } from '../store.js';

export const PUSH_TIME = 'push_time_seconds';
export const PUSH_FAILURE_TIME = 'push_failure_time_seconds';
export const PUSH_TIME_HELP = 'Last Unix time when changing this group in the Pushgateway succeeded.';
export const PUSH_FAILURE_TIME_HELP = 'Last Unix time when changing this group in the Pushgateway failed.';

/** A group plus lazily built lookups used by the consistency check; immutable once built. */
export class GroupRecord implements GroupSnapshot {
  private seriesByFamily: Map<string, Set<string>> | undefined;

  constructor(
    readonly key: string,
    readonly labels: GroupingLabels,
    readonly families: ReadonlyMap<string, StoredFamily>,
  ) {}

  get pushTimeSeconds(): number {
    return gaugeValue(this.families.get(PUSH_TIME)?.family);
  }

  get pushFailureTimeSeconds(): number {
    return gaugeValue(this.families.get(PUSH_FAILURE_TIME)?.family);
  }

  /** Whether the family `name` of this group holds a metric with exactly this label key. */
  hasSeries(name: string, labelsKey: string): boolean {
    const family = this.families.get(name);
    if (family === undefined) return false;
    this.seriesByFamily ??= new Map();
    let set = this.seriesByFamily.get(name);
    if (set === undefined) {
      set = new Set(family.family.metrics.map((m) => m.labels.key()));
      this.seriesByFamily.set(name, set);
    }
    return set.has(labelsKey);
  }
}

function gaugeValue(family: MetricFamily | undefined): number {
  return family?.metrics[0]?.value ?? 0;
}
