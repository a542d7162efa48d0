import { Labels, Matcher, MatchType, METRIC_NAME_LABEL } from '@pyrometer/model';
import { ValueType, type Querier, type Series } from '@pyrometer/storage';
import type { AlertingRule } from './alerting-rule.js';
import type { Group } from './group.js';

/**
 * Restores the `for` state of a group's alerts after a restart (upstream's `RestoreForState`), at
 * wall time `ts` (ms): for each active alert whose `ALERTS_FOR_STATE` series has a sample within
 * the outage tolerance, the time it had already been pending is credited, so it fires when it
 * would have without the restart — but never sooner than the grace period from now. Rules whose
 * `for` is shorter than the grace period are not restored (they simply wait their `for` again).
 * Every alerting rule is marked restored afterwards, even when reading failed.
 */
export async function restoreForState(group: Group, ts: number): Promise<void> {
  const { logger, metrics, queryable, outageTolerance, forGracePeriod } = group.context;
  const log = logger.with({ file: group.file, group: group.name });
  const started = performance.now();
  const rules = group.alertingRules();
  try {
    const querier = await queryable.querier(ts - outageTolerance, ts);
    try {
      for (const rule of rules) {
        if (rule.holdDuration < forGracePeriod) continue;
        try {
          await restoreRule(rule, querier, ts, forGracePeriod);
        } catch (err) {
          // Nothing to retry with: the rule is marked restored and its alerts wait their full `for`.
          log.error("Failed to restore 'for' state", { alertname: rule.name, err: err as Error });
        }
      }
    } finally {
      await querier.close();
    }
  } catch (err) {
    log.error('Failed to get Querier', { err: err as Error });
  } finally {
    for (const rule of rules) rule.restored = true;
    group.shouldRestore = false;
    metrics.lastRestoreDuration.labels(group.key).set((performance.now() - started) / 1000);
  }
}

async function restoreRule(rule: AlertingRule, querier: Querier, ts: number, gracePeriod: number): Promise<void> {
  if (rule.active.size === 0) return;
  const selector = rule.forStateSample(Labels.EMPTY, 0, 0).metric;
  const matchers: Matcher[] = [];
  selector.forEach((name, value) => matchers.push(new Matcher(MatchType.Equal, name, value)));
  const { series } = await querier.select(matchers);
  const byLabels = new Map<string, Series>();
  for (const s of series) byLabels.set(s.labels.without(METRIC_NAME_LABEL).key(), s);
  if (byLabels.size === 0) return;
  for (const alert of rule.active.values()) {
    const s = byLabels.get(alert.labels.key());
    if (s === undefined) continue;
    const last = lastSample(s);
    if (last === undefined || last.stale) continue;
    // Upstream works in whole seconds here: the sample's time and the stored activeAt.
    const downAt = Math.trunc(last.t / 1000) * 1000;
    const activeAt = last.v * 1000;
    const remaining = rule.holdDuration - (downAt - activeAt);
    if (remaining <= 0) continue; // It was firing; the next evaluation fires it again if it still holds.
    alert.activeAt = remaining < gracePeriod ? ts + gracePeriod - rule.holdDuration : activeAt + (ts - downAt);
  }
}

function lastSample(series: Series): { t: number; v: number; stale: boolean } | undefined {
  const it = series.iterator();
  let last: { t: number; v: number; stale: boolean } | undefined;
  while (it.next() !== ValueType.None) last = { t: it.atT(), v: it.atF(), stale: it.atStale() };
  return last;
}
