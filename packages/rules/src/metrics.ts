import { Labels } from '@pyrometer/model';
import type { Collector, Counter, Gauge, Histogram, MetricsRegistry } from '@pyrometer/telemetry';

const GROUP = ['rule_group'];
const BUCKETS = [0.01, 0.1, 1, 10];

/**
 * A summary without quantiles (client_golang's `Summary` with no objectives): count and sum of
 * observations in seconds. Upstream's summaries also carry quantile estimates; ours do not.
 */
class CountSumSummary implements Collector {
  private count = 0;
  private sum = 0;
  constructor(private readonly name: string, private readonly help: string) {}
  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
  }
  collect(): ReturnType<Collector['collect']> {
    return [{ name: this.name, help: this.help, type: 'summary', metrics: [{ labels: Labels.EMPTY, summary: { sampleCount: this.count, sampleSum: this.sum, quantiles: [] } }] }];
  }
}

/**
 * The rule manager's self-metrics under upstream's names (`prometheus_rule_*`). Per-group series
 * are labelled `rule_group="<file>;<group>"`, created when a group is created and removed when it
 * goes away.
 */
export class RuleMetrics {
  private readonly evalDuration: CountSumSummary;
  private readonly evalDurationHistogram: Histogram;
  private readonly iterationDuration: CountSumSummary;
  private readonly iterationDurationHistogram: Histogram;
  readonly iterationsMissed: Counter;
  readonly iterationsScheduled: Counter;
  readonly evalTotal: Counter;
  readonly evalFailures: Counter;
  readonly groupInterval: Gauge;
  readonly lastEvalTime: Gauge;
  readonly lastDuration: Gauge;
  readonly lastRuleDurationSum: Gauge;
  readonly lastRestoreDuration: Gauge;
  readonly groupRules: Gauge;
  readonly groupSamples: Gauge;

  constructor(registry: MetricsRegistry) {
    const group = (name: string, help: string) => ({ name: `prometheus_${name}`, help, labelNames: GROUP });
    this.evalDuration = new CountSumSummary('prometheus_rule_evaluation_duration_seconds', 'The duration for a rule to execute.');
    this.iterationDuration = new CountSumSummary('prometheus_rule_group_duration_seconds', 'The duration of rule group evaluations.');
    registry.register(this.evalDuration);
    registry.register(this.iterationDuration);
    this.evalDurationHistogram = registry.histogram({ name: 'prometheus_rule_evaluation_duration_histogram_seconds', help: 'The duration for a rule to execute.', buckets: BUCKETS });
    this.iterationDurationHistogram = registry.histogram({ name: 'prometheus_rule_group_duration_histogram_seconds', help: 'The duration of rule group evaluations.', buckets: BUCKETS });
    this.iterationsMissed = registry.counter(group('rule_group_iterations_missed_total', 'The total number of rule group evaluations missed due to slow rule group evaluation.'));
    this.iterationsScheduled = registry.counter(group('rule_group_iterations_total', 'The total number of scheduled rule group evaluations, whether executed or missed.'));
    this.evalTotal = registry.counter(group('rule_evaluations_total', 'The total number of rule evaluations.'));
    this.evalFailures = registry.counter(group('rule_evaluation_failures_total', 'The total number of rule evaluation failures.'));
    this.groupInterval = registry.gauge(group('rule_group_interval_seconds', 'The interval of a rule group.'));
    this.lastEvalTime = registry.gauge(group('rule_group_last_evaluation_timestamp_seconds', 'The timestamp of the last rule group evaluation in seconds.'));
    this.lastDuration = registry.gauge(group('rule_group_last_duration_seconds', 'The duration of the last rule group evaluation.'));
    this.lastRuleDurationSum = registry.gauge(
      group('rule_group_last_rule_duration_sum_seconds', 'The sum of time in seconds it took to evaluate each rule in the group regardless of concurrency. This should be higher than the group duration if rules are evaluated concurrently.'),
    );
    this.lastRestoreDuration = registry.gauge(group('rule_group_last_restore_duration_seconds', 'The duration of the last alert rules alerts restoration using the `ALERTS_FOR_STATE` series.'));
    this.groupRules = registry.gauge(group('rule_group_rules', 'The number of rules.'));
    this.groupSamples = registry.gauge(group('rule_group_last_evaluation_samples', 'The number of samples returned during the last rule group evaluation.'));
  }

  /** Records how long one rule evaluation took. */
  observeRule(seconds: number): void {
    this.evalDuration.observe(seconds);
    this.evalDurationHistogram.observe(seconds);
  }

  /** Records how long one group round took. */
  observeIteration(seconds: number): void {
    this.iterationDuration.observe(seconds);
    this.iterationDurationHistogram.observe(seconds);
  }

  /** Creates a new group's series (counters at 0, its rule count and interval set). */
  addGroup(key: string, rules: number, intervalMs: number): void {
    // As upstream, the restore duration appears only once a group has restored its alerts.
    for (const m of this.perGroup()) if (m !== this.lastRestoreDuration) m.labels(key);
    this.groupRules.labels(key).set(rules);
    this.groupInterval.labels(key).set(intervalMs / 1000);
  }

  /** Removes a group's series. */
  removeGroup(key: string): void {
    for (const m of this.perGroup()) m.remove(key);
  }

  private perGroup(): (Counter | Gauge)[] {
    return [
      this.iterationsMissed,
      this.iterationsScheduled,
      this.evalTotal,
      this.evalFailures,
      this.groupInterval,
      this.lastEvalTime,
      this.lastDuration,
      this.lastRuleDurationSum,
      this.lastRestoreDuration,
      this.groupRules,
      this.groupSamples,
    ];
  }
}
