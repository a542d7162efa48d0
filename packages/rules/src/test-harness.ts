import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels, ManualClock, type Matcher } from '@pyrometer/model';
import { Engine } from '@pyrometer/promql';
import { parseMetricSelector, parseSeriesDescription } from '@pyrometer/promql/parser';
import { MemoryStorage, ValueType, type Queryable } from '@pyrometer/storage';
import { MetricsRegistry } from '@pyrometer/telemetry';
import { tempDir } from '@pyrometer/testkit';
import type { Alert } from './alert.js';
import { RuleManager } from './manager.js';
import type { RuleManagerOptions } from './manager-options.js';
import { batchQueryFuncOf, engineQueryFunc, type BatchQueryFunc, type ValueAnswer } from './query-func.js';

/** Loads series in promqltest notation (`name{l="v"}`, `'1 2 _ stale 4+1x3'`) at `stepMs` from `startMs`. */
export async function load(storage: MemoryStorage, series: Record<string, string>, stepMs: number, startMs = 0): Promise<void> {
  const app = storage.appender();
  for (const [selector, values] of Object.entries(series)) {
    const desc = parseSeriesDescription(`${selector} ${values}`);
    desc.values.forEach((v, i) => {
      if (!v.omitted) app.append(0, desc.labels, startMs + i * stepMs, v.value, v.stale);
    });
  }
  await app.commit();
}

/** Every sample of the series matching `selector` in [mint, maxt], as `[t, value | 'stale']` per series key. */
export async function samples(storage: MemoryStorage, selector: string, mint = -Infinity, maxt = Infinity): Promise<Record<string, [number, number | 'stale'][]>> {
  const q = await storage.querier(Math.max(mint, Number.MIN_SAFE_INTEGER), Math.min(maxt, Number.MAX_SAFE_INTEGER));
  const matchers: Matcher[] = parseMetricSelector(selector);
  const out: Record<string, [number, number | 'stale'][]> = {};
  for (const s of (await q.select(matchers, { sortSeries: true })).series) {
    const it = s.iterator();
    const points: [number, number | 'stale'][] = [];
    while (it.next() !== ValueType.None) points.push([it.atT(), it.atStale() ? 'stale' : it.atF()]);
    out[s.labels.toString()] = points;
  }
  await q.close();
  return out;
}

/** A rule file in a fresh temp dir. */
export function ruleFile(text: string, name = 'rules.yml', dir = tempDir()): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/**
 * A manager over MemoryStorage and the engine, with a manual clock; `sent` collects notifications.
 * With `batchQueries`, runs of independent rules query through {@link engineBatchQueryFunc}, whose
 * batches (the queries of each) are collected in `batches`.
 */
export function testManager(
  options: Partial<RuleManagerOptions> & { batchQueries?: boolean } = {},
  storage = new MemoryStorage(),
): { manager: RuleManager; storage: MemoryStorage; clock: ManualClock; registry: MetricsRegistry; sent: { expr: string; alerts: Alert[] }[]; batches: string[][] } {
  const clock = new ManualClock(0);
  const registry = new MetricsRegistry();
  const sent: { expr: string; alerts: Alert[] }[] = [];
  const batches: string[][] = [];
  const engine = new Engine({ now: () => clock.now() });
  const { batchQueries, ...managerOptions } = options;
  const batch = engineBatchQueryFunc(engine, storage);
  const manager = new RuleManager({
    query: engineQueryFunc(engine, storage),
    ...(batchQueries === true && {
      queryBatch: (queries, t, o) => {
        batches.push([...queries]);
        return batch(queries, t, o);
      },
    }),
    appendable: storage,
    queryable: storage,
    clock,
    registry,
    notify: (expr, alerts) => sent.push({ expr, alerts: [...alerts] }),
    ...managerOptions,
  });
  return { manager, storage, clock, registry, sent, batches };
}

/** A batch query function evaluating each query in turn on `engine` over `queryable` (what the server's query workers do in one task). */
export function engineBatchQueryFunc(engine: Engine, queryable: Queryable): BatchQueryFunc {
  return batchQueryFuncOf(async (queries, t, { signal }) => {
    const answers: ValueAnswer[] = [];
    for (const query of queries) {
      const started = performance.now();
      try {
        answers.push({ ok: true, value: (await engine.instantQuery(queryable, query, t).exec(signal)).value, durationMs: performance.now() - started });
      } catch (error) {
        if (signal?.aborted === true) throw error;
        answers.push({ ok: false, error: error as Error, durationMs: performance.now() - started });
      }
    }
    return answers;
  });
}

/** The value of a `prometheus_*` metric child in the registry, undefined when absent. */
export function metricValue(registry: MetricsRegistry, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Labels.from(labels);
  const family = registry.collect().find((f) => f.name === name);
  const metric = family?.metrics.find((m) => (m.labels as Labels).equals(want));
  return metric?.value;
}
