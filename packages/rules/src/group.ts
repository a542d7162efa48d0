import { matchesAll, type Labels, type Matcher } from '@pyrometer/model';
import { AlertingRule } from './alerting-rule.js';
import type { GroupContext } from './group-context.js';
import type { RecordingRule } from './recording-rule.js';

/** A rule of a group. */
export type Rule = RecordingRule | AlertingRule;

/** A group's definition. Durations in ms. */
export interface GroupOptions {
  name: string;
  file: string;
  /** Evaluation interval (> 0). */
  interval: number;
  /** The group's own query offset; undefined means the manager's default. */
  queryOffset: number | undefined;
  /** Most series or alerts per rule; 0 means no limit. */
  limit: number;
  rules: Rule[];
  /** Restore the alerts' `for` state from storage after the second evaluation. */
  shouldRestore: boolean;
  /**
   * Where in its interval the group is evaluated, ms (fractional): upstream's xxhash of the
   * group's file and name modulo the interval, so groups spread over the interval exactly as in
   * Prometheus.
   */
  slotOffset: number;
}

/** The key of a group in metrics and the manager: `file;name`. */
export function groupKey(file: string, name: string): string {
  return `${file};${name}`;
}

/**
 * A rule group: rules evaluated in order at the same timestamp every interval (upstream's
 * `rules.Group`). This class holds the definition and the state that outlives a round — each
 * rule's series of the last round (for staleness), series of removed rules still to be marked
 * stale, timings. Evaluation is in `group-eval.ts`, scheduling in `group-schedule.ts`, `for`-state
 * restoration in `restore.ts`.
 */
export class Group {
  readonly name: string;
  readonly file: string;
  readonly interval: number;
  readonly queryOffset: number | undefined;
  readonly limit: number;
  readonly rules: readonly Rule[];
  readonly key: string;
  readonly slotOffset: number;
  shouldRestore: boolean;
  /** Wall time the last round took, ms. */
  evaluationTime = 0;
  /** Wall-clock time (ms) the last round started, or undefined before the first. */
  lastEvaluation: number | undefined = undefined;
  /** The evaluation timestamp (ms) of the last round. */
  lastEvalTimestamp: number | undefined = undefined;
  /** Per rule, the series it wrote in its last successful round, by label key. */
  seriesInPreviousEval: Map<string, Labels>[];
  /** Series of rules that no longer exist, to be marked stale at the next round. */
  staleSeries: Labels[] = [];

  constructor(
    options: GroupOptions,
    readonly context: GroupContext,
  ) {
    this.name = options.name;
    this.file = options.file;
    this.interval = options.interval;
    this.queryOffset = options.queryOffset;
    this.limit = options.limit;
    this.rules = options.rules;
    this.shouldRestore = options.shouldRestore;
    this.slotOffset = options.slotOffset;
    this.key = groupKey(this.file, this.name);
    this.seriesInPreviousEval = this.rules.map(() => new Map());
  }

  /** The query offset in force: the group's own, else the manager's default. */
  effectiveQueryOffset(): number {
    return this.queryOffset ?? this.context.defaultQueryOffset();
  }

  /** The latest evaluation slot at or before `now` (ms): the interval grid shifted by the group's offset. */
  evalTimestamp(now: number): number {
    const k = Math.floor((now - this.slotOffset) / this.interval);
    return k * this.interval + Math.floor(this.slotOffset);
  }

  /** The rules whose labels match all matchers of at least one set (all rules without sets). */
  rulesMatching(matcherSets: readonly (readonly Matcher[])[]): Rule[] {
    return this.rules.filter((r) => matcherSets.length === 0 || matcherSets.some((set) => matchesAll(set, r.labels)));
  }

  /** The group's alerting rules, firing first, then pending, then the rest, each by name (upstream's order). */
  alertingRules(): AlertingRule[] {
    const order = { firing: 0, pending: 1, inactive: 2, unknown: 3 };
    return this.rules
      .filter((r): r is AlertingRule => r instanceof AlertingRule)
      .sort((a, b) => order[a.state()] - order[b.state()] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * True when `other` is the same group: name, file, interval, limit, query offset and every
   * rule's definition in order. An unchanged group keeps running across a reload.
   */
  equals(other: Group): boolean {
    return (
      this.name === other.name &&
      this.file === other.file &&
      this.interval === other.interval &&
      this.limit === other.limit &&
      this.queryOffset === other.queryOffset &&
      this.rules.length === other.rules.length &&
      this.rules.every((r, i) => r.definition() === other.rules[i]!.definition())
    );
  }

  /**
   * Takes over the state of the group this one replaces (upstream's `CopyState`): timings, and for
   * each rule matched by name and labels (the n-th duplicate with the n-th) its series of the last
   * round and its alerts. Series of rules that have no match will be marked stale.
   */
  copyState(from: Group): void {
    this.evaluationTime = from.evaluationTime;
    this.lastEvaluation = from.lastEvaluation;
    const unmatched = new Map<string, number[]>();
    from.rules.forEach((r, i) => unmatched.set(identity(r), [...(unmatched.get(identity(r)) ?? []), i]));
    this.rules.forEach((rule, i) => {
      const candidates = unmatched.get(identity(rule));
      const fi = candidates?.shift();
      if (fi === undefined) return;
      this.seriesInPreviousEval[i] = from.seriesInPreviousEval[fi]!;
      const old = from.rules[fi]!;
      if (rule instanceof AlertingRule && old instanceof AlertingRule) for (const [k, a] of old.active) rule.active.set(k, a);
    });
    this.staleSeries = [...from.staleSeries];
    for (const indexes of unmatched.values()) for (const fi of indexes) this.staleSeries.push(...from.seriesInPreviousEval[fi]!.values());
  }
}

function identity(rule: Rule): string {
  return rule.name + rule.labels.toString();
}
