import type { Labels } from '@pyrometer/model';
import type { Sample } from '@pyrometer/promql';
import { StorageError, type Appender } from '@pyrometer/storage';
import { AlertingRule } from './alerting-rule.js';
import type { Group, Rule } from './group.js';
import { independentRuns, prefetchQueries, type PrefetchedQuery } from './prefetch.js';
import { RuleHealth } from './rule.js';

/** Rejections that are expected when another rule or a newer round already wrote the series. */
const EXPECTED_APPEND_ERRORS = new Set(['out_of_order_sample', 'too_old_sample', 'duplicate_sample_for_timestamp']);

/** How a round is told to stop between rules. */
export interface RoundControl {
  /** True once the group is stopping: rules not yet started are skipped. */
  stopped(): boolean;
  signal?: AbortSignal;
}

/**
 * A scheduled round with its bookkeeping (upstream's `DefaultEvalIterationFunc`): counts the round,
 * evaluates the group at `ts` and records how long it took and when, on the group and in metrics.
 */
export async function evalIteration(group: Group, ts: number, control?: RoundControl): Promise<void> {
  const { metrics, clock } = group.context;
  metrics.iterationsScheduled.labels(group.key).inc();
  const wallStart = clock.now();
  const started = performance.now();
  await evalGroup(group, ts, control);
  const seconds = (performance.now() - started) / 1000;
  metrics.observeIteration(seconds);
  metrics.lastRuleDurationSum.labels(group.key).set(group.rules.reduce((sum, r) => sum + r.evaluationDuration, 0) / 1000);
  metrics.lastDuration.labels(group.key).set(seconds);
  metrics.lastEvalTime.labels(group.key).set(wallStart / 1000);
  group.evaluationTime = seconds * 1000;
  group.lastEvaluation = wallStart;
  group.lastEvalTimestamp = ts;
}

/**
 * One evaluation round of a group at timestamp `ts` (ms), upstream's `Group.Eval`: every rule in
 * order (or in the batches the concurrency allows), each rule's output appended and committed
 * before the next rule starts — so a later rule sees an earlier one's output of the same round —
 * series a rule stopped producing marked stale, alerts handed to the notifier, and series of
 * removed rules marked stale. Rule failures are recorded on the rule; the round itself never
 * rejects.
 */
export async function evalGroup(group: Group, ts: number, control: RoundControl = { stopped: () => false }): Promise<void> {
  const { metrics, concurrency } = group.context;
  let samples = 0;
  const run = async (i: number) => {
    const produced = await evalRule(group, i, ts, control.signal); // not `samples += await …`: that reads `samples` before awaiting
    samples += produced;
  };
  const batches = concurrency.batches(group.rules);
  const batchQuery = group.context.queryBatch;
  if (batches === undefined && batchQuery !== undefined) {
    // One query batch per run of rules that do not read each other, then each rule in order.
    const at = ts - group.effectiveQueryOffset();
    for (const indexes of independentRuns(group.rules)) {
      let prefetched: PrefetchedQuery[] = [];
      for (const [k, i] of indexes.entries()) {
        if (control.stopped()) return;
        if (k === 0 && indexes.length > 1) prefetched = await prefetchQueries(indexes.map((r) => group.rules[r]!), at, batchQuery, group.context.query, control.signal);
        samples += await evalRule(group, i, ts, control.signal, prefetched[k]);
      }
    }
  } else if (batches === undefined) {
    for (let i = 0; i < group.rules.length; i++) {
      if (control.stopped()) return;
      await run(i);
    }
  } else {
    for (const batch of batches) {
      const inFlight: Promise<void>[] = [];
      for (const i of batch) {
        if (control.stopped()) break;
        if (batch.length > 1 && concurrency.tryAcquire()) inFlight.push(run(i).finally(() => concurrency.release()));
        else await run(i);
      }
      await Promise.all(inFlight);
      if (control.stopped()) return;
    }
  }
  metrics.groupSamples.labels(group.key).set(samples);
  await writeStaleSeries(group, ts);
}

/**
 * Evaluates rule `i` and writes its output; returns how many samples it produced. With `prefetched`
 * the rule's query was answered ahead in a batch: its time counts towards the rule's duration.
 */
async function evalRule(group: Group, i: number, ts: number, signal: AbortSignal | undefined, prefetched?: PrefetchedQuery): Promise<number> {
  const rule = group.rules[i]!;
  const { metrics, logger, clock } = group.context;
  const log = lazyLog(() => logger.with({ file: group.file, group: group.name, name: rule.name, index: i }));
  const wallStart = clock.now();
  const started = performance.now() - (prefetched?.durationMs ?? 0);
  const fail = (err: unknown) => {
    rule.health = RuleHealth.Bad;
    rule.lastError = err instanceof Error ? err : new Error(String(err));
    metrics.evalFailures.labels(group.key).inc();
  };
  metrics.evalTotal.labels(group.key).inc();
  const queryOffset = group.effectiveQueryOffset();
  let vector: Sample[];
  try {
    try {
      vector = await rule.eval({ ts, queryOffset, query: prefetched?.query ?? group.context.query, limit: group.limit, ...(signal !== undefined && { signal }) });
    } catch (err) {
      fail(err);
      if (!(err instanceof Error && 'code' in err && err.code === 'canceled')) log.warn('Evaluating rule failed', { rule: rule.query, err: err as Error });
      return 0;
    }
    rule.health = RuleHealth.Good;
    rule.lastError = undefined;
    if (rule instanceof AlertingRule) sendAlerts(group, rule, ts);
    const app = group.context.appendable.appender();
    const written = appendOutput(rule, app, vector, fail, log);
    const previous = group.seriesInPreviousEval[i]!;
    const gone = markGoneSeries(app, previous, written, ts - queryOffset, log);
    try {
      await app.commit();
      // The same series as last round (the usual case): the old record is kept, so this round's
      // label sets die young instead of living a round and being promoted to the old generation.
      group.seriesInPreviousEval[i] = gone === 0 && written.size === previous.size ? previous : written;
    } catch (err) {
      fail(err);
      log.warn('Rule sample appending failed', { err: err as Error });
    }
    return vector.length;
  } finally {
    const seconds = (performance.now() - started) / 1000;
    metrics.observeRule(seconds);
    rule.evaluationDuration = seconds * 1000;
    rule.evaluationTimestamp = wallStart;
  }
}

/** Appends a rule's samples; returns the series written. A rejected sample marks the rule unhealthy (as upstream) and is counted by kind. */
function appendOutput(rule: Rule, app: Appender, vector: readonly Sample[], fail: (err: unknown) => void, log: GroupLogger): Map<string, Labels> {
  const written = new Map<string, Labels>();
  const dropped = new Map<string, number>();
  for (const s of vector) {
    try {
      if (s.h === undefined) app.append(0, s.metric, s.t, s.f);
      else app.appendHistogram(0, s.metric, s.t, s.h);
      written.set(s.metric.key(), s.metric);
    } catch (err) {
      fail(err);
      const code = err instanceof StorageError ? err.code : 'other';
      dropped.set(code, (dropped.get(code) ?? 0) + 1);
      if (!EXPECTED_APPEND_ERRORS.has(code)) log.warn('Rule evaluation result discarded', { err: err as Error, sample: s.metric.toString() });
    }
  }
  for (const [code, n] of dropped) if (EXPECTED_APPEND_ERRORS.has(code)) log.warn('Error on ingesting results from rule evaluation', { reason: code, num_dropped: n, rule: rule.name });
  return written;
}

/** Appends staleness markers at `t` for the series of the previous round that this round did not write; returns how many. */
function markGoneSeries(app: Appender, previous: ReadonlyMap<string, Labels>, written: ReadonlyMap<string, Labels>, t: number, log: GroupLogger): number {
  let gone = 0;
  for (const [key, labels] of previous) {
    if (written.has(key)) continue;
    appendStale(app, labels, t, log);
    gone++;
  }
  return gone;
}

/** Marks the series of removed rules stale at `ts - offset`; kept for the next round if the commit fails. */
export async function writeStaleSeries(group: Group, ts: number): Promise<void> {
  if (group.staleSeries.length === 0) return;
  const log = group.context.logger.with({ file: group.file, group: group.name });
  const app = group.context.appendable.appender();
  const t = ts - group.effectiveQueryOffset();
  for (const labels of group.staleSeries) appendStale(app, labels, t, log);
  try {
    await app.commit();
    group.staleSeries = [];
  } catch (err) {
    log.warn('Stale sample appending for previous configuration failed', { err: err as Error });
  }
}

function appendStale(app: Appender, labels: Labels, t: number, log: GroupLogger): void {
  try {
    app.append(0, labels, t, NaN, true);
  } catch (err) {
    // A series another rule or a newer round already wrote is expected; anything else is worth a line.
    if (!(err instanceof StorageError && EXPECTED_APPEND_ERRORS.has(err.code))) log.warn('Adding stale sample failed', { sample: labels.toString(), err: err as Error });
  }
}

function sendAlerts(group: Group, rule: AlertingRule, ts: number): void {
  const alerts = rule.alertsToSend(ts, group.context.resendDelay, group.interval);
  if (alerts.length > 0) group.context.notify(rule.query, alerts);
}

type Logger = Group['context']['logger'];
type GroupLogger = Pick<Logger, 'warn'>;

/** A logger made at its first line: a rule's round usually logs nothing, and making one per rule and round was garbage. */
function lazyLog(make: () => Logger): GroupLogger {
  let log: Logger | undefined;
  return { warn: (msg, fields) => (log ??= make()).warn(msg, fields) };
}
