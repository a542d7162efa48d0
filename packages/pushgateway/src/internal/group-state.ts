import type { Metric, MetricFamily, MetricType } from '@pyrometer/exposition';
import { matchesAll, Labels, type Matcher } from '@pyrometer/model';
import { groupingKeyOf, type GroupingLabels } from '../grouping-key.js';
import type { StoredFamily } from '../store.js';
import { checkPushedFamilies, type CheckContext } from './consistency.js';
import { GroupRecord, PUSH_FAILURE_TIME, PUSH_FAILURE_TIME_HELP, PUSH_TIME, PUSH_TIME_HELP } from './group-record.js';
import { MergedView } from './merged-view.js';
import { sanitizeFamily, timestampFamily } from './sanitize.js';

const TIMESTAMP_ERROR = 'pushed metrics must not have timestamps';

/** The outcome of preparing a push: the group as it would be, and problems found (empty when fine). */
export interface PreparedPush {
  readonly record: GroupRecord;
  readonly errors: readonly string[];
}

/**
 * All groups plus the indexes that keep a push's cost proportional to the pushed group: group
 * counts per family name and type, groups per job, and the merged `/metrics` view rebuilt only for
 * family names that changed. Single-threaded; callers serialize writes.
 */
export class GroupState {
  private readonly groups = new Map<string, GroupRecord>();
  private readonly typeCounts = new Map<string, Map<MetricType, number>>();
  private readonly jobGroups = new Map<string, Set<string>>();
  private readonly merged = new MergedView((key) => this.groups.get(key));
  private ownTypes: Map<string, MetricType> | undefined;

  /** `ownFamilies` yields the Pushgateway's own metrics (for type checks and `/metrics`). */
  constructor(private readonly ownFamilies: () => MetricFamily[]) {}

  get size(): number {
    return this.groups.size;
  }

  get(key: string): GroupRecord | undefined {
    return this.groups.get(key);
  }

  /** Every group, ordered by grouping key. */
  all(): GroupRecord[] {
    return [...this.groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Computes a PUT (`replace`) or POST without applying it; `check` runs the consistency check. */
  prepare(labels: GroupingLabels, pushed: readonly MetricFamily[], replace: boolean, timeMs: number, check: boolean): PreparedPush {
    const key = groupingKeyOf(labels);
    const names = Object.keys(labels).sort();
    const old = this.groups.get(key);
    const byName = new Map<string, MetricFamily>();
    let timestamped = false;
    for (const family of pushed) {
      if (family.metrics.some((m) => m.timestampMs !== undefined)) timestamped = true;
      if (family.name !== PUSH_TIME && family.name !== PUSH_FAILURE_TIME) byName.set(family.name, family);
    }
    const sanitized = [...byName.values()].map((f) => sanitizeFamily(f, labels, names));
    const families = new Map<string, StoredFamily>(replace || old === undefined ? [] : old.families);
    for (const family of sanitized) families.set(family.name, { family, timestampMs: timeMs });
    families.set(PUSH_TIME, { family: timestampFamily(PUSH_TIME, PUSH_TIME_HELP, timeMs / 1000, labels, names), timestampMs: timeMs });
    const oldFailure = old?.families.get(PUSH_FAILURE_TIME);
    families.set(PUSH_FAILURE_TIME, oldFailure ?? { family: timestampFamily(PUSH_FAILURE_TIME, PUSH_FAILURE_TIME_HELP, 0, labels, names), timestampMs: timeMs });
    const record = new GroupRecord(key, labels, families);
    if (timestamped) return { record, errors: [TIMESTAMP_ERROR] };
    return { record, errors: check ? checkPushedFamilies(sanitized, this.checkContext(record, old)) : [] };
  }

  /** The group after a failed push: `push_failure_time_seconds` set to now, created when absent. */
  failed(labels: GroupingLabels, timeMs: number): GroupRecord {
    const key = groupingKeyOf(labels);
    const names = Object.keys(labels).sort();
    const old = this.groups.get(key);
    const families = new Map<string, StoredFamily>(old?.families ?? []);
    families.set(PUSH_FAILURE_TIME, { family: timestampFamily(PUSH_FAILURE_TIME, PUSH_FAILURE_TIME_HELP, timeMs / 1000, labels, names), timestampMs: timeMs });
    if (!families.has(PUSH_TIME)) families.set(PUSH_TIME, { family: timestampFamily(PUSH_TIME, PUSH_TIME_HELP, 0, labels, names), timestampMs: timeMs });
    return new GroupRecord(key, labels, families);
  }

  /** Installs a group (replacing the one with the same key) and updates every index. */
  set(record: GroupRecord): void {
    const old = this.groups.get(record.key);
    if (old !== undefined) this.unindex(old);
    this.groups.set(record.key, record);
    for (const [name, { family }] of record.families) {
      let counts = this.typeCounts.get(name);
      if (counts === undefined) this.typeCounts.set(name, (counts = new Map()));
      counts.set(family.type, (counts.get(family.type) ?? 0) + 1);
      this.merged.add(name, record.key);
    }
    const job = record.labels['job'] ?? '';
    let keys = this.jobGroups.get(job);
    if (keys === undefined) this.jobGroups.set(job, (keys = new Set()));
    keys.add(record.key);
  }

  /** Removes a group; returns whether it existed. */
  delete(key: string): boolean {
    const old = this.groups.get(key);
    if (old === undefined) return false;
    this.unindex(old);
    this.groups.delete(key);
    return true;
  }

  /** Keys of the groups whose grouping labels match every matcher. */
  matching(matchers: readonly Matcher[]): string[] {
    return [...this.groups.values()].filter((g) => matchesAll(matchers, Labels.from(g.labels))).map((g) => g.key);
  }

  /** Keys of the groups whose last successful push is older than `beforeMs`. */
  olderThan(beforeMs: number): string[] {
    return [...this.groups.values()].filter((g) => lastChangeMs(g) < beforeMs).map((g) => g.key);
  }

  /** The merged exposition of all groups and the Pushgateway's own metrics (see MetricStore.gather). */
  gather(): MetricFamily[] {
    return this.merged.gather(this.ownFamilies());
  }

  private unindex(old: GroupRecord): void {
    for (const [name, { family }] of old.families) {
      const counts = this.typeCounts.get(name);
      const n = (counts?.get(family.type) ?? 0) - 1;
      if (n > 0) counts!.set(family.type, n);
      else counts?.delete(family.type);
      if (counts !== undefined && counts.size === 0) this.typeCounts.delete(name);
      this.merged.remove(name, old.key);
    }
    const keys = this.jobGroups.get(old.labels['job'] ?? '');
    keys?.delete(old.key);
    if (keys !== undefined && keys.size === 0) this.jobGroups.delete(old.labels['job'] ?? '');
  }

  private ownType(name: string): MetricType | undefined {
    this.ownTypes ??= new Map(this.ownFamilies().map((f) => [f.name, f.type]));
    return this.ownTypes.get(name);
  }

  private checkContext(record: GroupRecord, old: GroupRecord | undefined): CheckContext {
    const countAfter = (name: string): Map<MetricType, number> => {
      const counts = new Map(this.typeCounts.get(name) ?? []);
      const before = old?.families.get(name)?.family.type;
      if (before !== undefined) counts.set(before, (counts.get(before) ?? 1) - 1);
      const after = record.families.get(name)?.family.type;
      if (after !== undefined) counts.set(after, (counts.get(after) ?? 0) + 1);
      return counts;
    };
    let candidates: GroupRecord[] | undefined;
    const compatible = (): GroupRecord[] => {
      candidates ??= [...(this.jobGroups.get(record.labels['job'] ?? '') ?? [])]
        .filter((k) => k !== record.key)
        .map((k) => this.groups.get(k)!)
        .filter((g) => Object.entries(g.labels).every(([n, v]) => !(n in record.labels) || record.labels[n] === v));
      return candidates;
    };
    return {
      ownType: (name) => this.ownType(name),
      *typesElsewhere(name) {
        for (const [type, n] of countAfter(name)) if (n > 0) yield type;
      },
      existsAfter: (name) => {
        if (this.ownType(name) !== undefined) return true;
        for (const n of countAfter(name).values()) if (n > 0) return true;
        return false;
      },
      seriesElsewhere: (name: string, metric: Metric) => {
        const groups = compatible();
        if (groups.length === 0) return false;
        const labelsKey = metric.labels.key();
        return groups.some((g) => g.hasSeries(name, labelsKey));
      },
    };
  }
}

function lastChangeMs(group: GroupRecord): number {
  return Math.max(group.pushTimeSeconds, group.pushFailureTimeSeconds) * 1000;
}
