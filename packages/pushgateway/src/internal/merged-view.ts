import { compareUtf8 } from '@pyrometer/model';
import type { Metric, MetricFamily } from '@pyrometer/exposition';
import type { GroupRecord } from './group-record.js';

/**
 * The `/metrics` view of all groups: one family per name, rebuilt lazily and only for the names a
 * write touched since the last gather, so a scrape after one push re-sorts one group's families,
 * not the whole store.
 */
export class MergedView {
  private readonly groupsByName = new Map<string, Set<string>>();
  private readonly families = new Map<string, MetricFamily>();
  private readonly dirty = new Set<string>();
  private sortedNames: string[] | undefined;

  constructor(private readonly group: (key: string) => GroupRecord | undefined) {}

  add(name: string, groupKey: string): void {
    let keys = this.groupsByName.get(name);
    if (keys === undefined) {
      this.groupsByName.set(name, (keys = new Set()));
      this.sortedNames = undefined;
    }
    keys.add(groupKey);
    this.dirty.add(name);
  }

  remove(name: string, groupKey: string): void {
    const keys = this.groupsByName.get(name);
    if (keys === undefined) return;
    keys.delete(groupKey);
    if (keys.size === 0) {
      this.groupsByName.delete(name);
      this.families.delete(name);
      this.sortedNames = undefined;
    }
    this.dirty.add(name);
  }

  /**
   * The merged families plus `own` (the Pushgateway's own metrics, which come first within a shared
   * name and impose their help text), sorted by name; families without metrics are left out.
   */
  gather(own: readonly MetricFamily[]): MetricFamily[] {
    for (const name of this.dirty) this.rebuild(name);
    this.dirty.clear();
    this.sortedNames ??= [...this.groupsByName.keys()].sort(compareUtf8);
    const ownByName = new Map(own.map((f) => [f.name, f]));
    const out: MetricFamily[] = [];
    const emit = (family: MetricFamily) => {
      if (family.metrics.length > 0) out.push(family);
    };
    let i = 0;
    const ownNames = [...ownByName.keys()].sort(compareUtf8);
    let j = 0;
    const names = this.sortedNames;
    while (i < names.length || j < ownNames.length) {
      const a = names[i];
      const b = ownNames[j];
      if (b === undefined || (a !== undefined && compareUtf8(a, b) < 0)) {
        emit(this.families.get(a!)!);
        i++;
      } else if (a === undefined || compareUtf8(b, a) < 0) {
        emit(ownByName.get(b)!);
        j++;
      } else {
        const mine = ownByName.get(b)!;
        const theirs = this.families.get(a)!;
        emit({ ...mine, metrics: [...mine.metrics, ...theirs.metrics].sort(compareMetrics) });
        i++;
        j++;
      }
    }
    return out;
  }

  private rebuild(name: string): void {
    const keys = this.groupsByName.get(name);
    if (keys === undefined) return;
    let merged: MetricFamily | undefined;
    const metrics: Metric[] = [];
    for (const key of keys) {
      const family = this.group(key)?.families.get(name)?.family;
      if (family === undefined) continue;
      merged = merged === undefined ? family : { ...merged, help: family.help ?? merged.help };
      // Only unchecked pushes can mix types under one name: keep the first type's metrics.
      if (family.type === merged.type) for (const m of family.metrics) metrics.push(m);
    }
    if (merged === undefined) return;
    this.families.set(name, { ...merged, metrics: metrics.sort(compareMetrics) });
  }
}

/** client_golang's MetricSorter: by label count, then label values (Go byte order) position by position. */
function compareMetrics(a: Metric, b: Metric): number {
  const n = a.labels.size;
  if (n !== b.labels.size) return n - b.labels.size;
  for (let i = 0; i < n; i++) {
    const x = a.labels.valueAt(i);
    const y = b.labels.valueAt(i);
    if (x !== y) return compareUtf8(x, y);
  }
  return 0;
}
