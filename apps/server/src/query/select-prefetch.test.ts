import { Labels } from '@pyrometer/model';
import { MetricsRegistry, silentLogger } from '@pyrometer/telemetry';
import { tempDir } from '@pyrometer/testkit';
import { Tsdb } from '@pyrometer/tsdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireMatcher } from './matcher-wire.js';
import type { HttpTask, StorageCall } from './protocol.js';
import type { TaskMessage } from './query-pool-options.js';
import { QueryPool } from './query-pool.js';
import { SelectPrefetch } from './select-prefetch.js';
import { TEST_WORKER_CONFIG } from './test-worker-config.js';


let tsdb: Tsdb;
let pool: QueryPool;
let registry: MetricsRegistry;

beforeAll(async () => {
  tsdb = await Tsdb.open(tempDir(), { compactionInterval: 0 });
  const app = tsdb.appender();
  for (let t = 0; t <= 900_000; t += 15_000) for (let i = 0; i < 3; i++) app.append(0, Labels.from({ __name__: 'up', instance: `i${i}` }), t, i + t / 15_000);
  await app.commit();
  registry = new MetricsRegistry();
  pool = new QueryPool({ size: 1, config: TEST_WORKER_CONFIG, storage: tsdb, logger: silentLogger(), registry });
});
afterAll(async () => {
  await pool.stop();
  await tsdb.close();
});

function rangeTask(query: string, start: number, end: number): HttpTask {
  return { kind: 'http', route: 'query_range', search: new URLSearchParams({ query, start: String(start), end: String(end), step: '15' }).toString(), body: undefined, params: {}, now: 0, deadline: Date.now() + 60_000, externalLabels: {}, gzip: false };
}

/** Runs `task` on the pool (with `prefetch`'s plan, when given) and returns its answer's body. */
async function answer(task: HttpTask, prefetch?: SelectPrefetch): Promise<string> {
  let body = '';
  const plan = prefetch?.plan(task);
  await pool.run(task, (msg: TaskMessage) => {
    if (msg.type === 'head' || msg.type === 'chunk') body += new TextDecoder().decode(msg.body);
  }, plan === undefined ? {} : { prefetch: plan });
  return body;
}

function prefetched(outcome: 'taken' | 'unused'): number {
  const family = registry.collect().find((f) => f.name === 'pyrometer_query_prefetched_storage_calls_total');
  return family?.metrics.find((m) => m.labels.get('outcome') === outcome)?.value ?? NaN;
}

describe('SelectPrefetch', () => {
  it('answers a repeated query\'s select as its task is posted, with the range moved on, and the worker takes it', async () => {
    const prefetch = new SelectPrefetch();
    const before = { taken: prefetched('taken'), unused: prefetched('unused') };
    await answer(rangeTask('sum by (instance) (up)', 300, 600), prefetch);
    expect(prefetched('taken')).toBe(before.taken);
    // A dashboard's refresh: the same query over a range 15 s later, answered as without prediction.
    const moved = rangeTask('sum by (instance) (up)', 315, 615);
    const withPrefetch = await answer(moved, prefetch);
    expect(prefetched('taken')).toBe(before.taken + 1);
    expect(prefetched('unused')).toBe(before.unused);
    expect(withPrefetch).toBe(await answer(moved));
    expect(JSON.parse(withPrefetch).data.result).toHaveLength(3);
  });

  it('stops predicting a query whose selects do not move with its range, answering it right all along', async () => {
    const prefetch = new SelectPrefetch();
    const query = 'sum(up @ 100)';
    const before = { taken: prefetched('taken'), unused: prefetched('unused') };
    const answers: string[] = [];
    for (let shift = 0; shift < 4; shift++) answers.push(await answer(rangeTask(query, 300 + 15 * shift, 600 + 15 * shift), prefetch));
    // The second run's prediction missed (its select did not move); later runs are not predicted.
    expect(prefetched('unused')).toBe(before.unused + 1);
    expect(prefetched('taken')).toBe(before.taken);
    for (let shift = 0; shift < 4; shift++) expect(answers[shift]).toBe(await answer(rangeTask(query, 300 + 15 * shift, 600 + 15 * shift)));
  });

  it('tells selects apart by every part of their matchers, as the worker sends them', () => {
    const select = (start: number, matchers: WireMatcher[]): StorageCall => ({ call: 'select', matchers, mint: start * 1000 - 300_000, maxt: (start + 60) * 1000 });
    const regex = (values: string[], negate = false): WireMatcher[] => [{ op: '=', name: '__name__', value: 'up' }, { op: 'in', name: 'instance', values, negate }];
    const variants: WireMatcher[][] = [regex(['i1', 'i2']), regex(['i1']), regex(['i1', 'i3']), regex(['i1', 'i2'], true), [{ op: '=', name: '__name__', value: 'up' }, { op: '=', name: 'instance', value: 'i1' }], [{ op: '=', name: '__name__', value: 'up' }]];
    for (const other of variants.slice(1)) {
      const prefetch = new SelectPrefetch();
      prefetch.plan(rangeTask('up{instance=~"i1|i2"}', 0, 60))!.learn([select(0, variants[0]!)]);
      const second = prefetch.plan(rangeTask('up{instance=~"i1|i2"}', 15, 75))!;
      expect(second.calls).toEqual([select(15, variants[0]!)]);
      // The worker asked for another select than the predicted one: the shape is no longer predicted.
      second.learn([select(15, other)]);
      expect(prefetch.plan(rangeTask('up{instance=~"i1|i2"}', 30, 90))!.calls).toEqual([]);
    }
    const prefetch = new SelectPrefetch();
    for (let start = 0; start < 60; start += 15) prefetch.plan(rangeTask('up{instance=~"i1|i2"}', start, start + 60))!.learn([select(start, regex(['i1', 'i2']))]);
    expect(prefetch.plan(rangeTask('up{instance=~"i1|i2"}', 60, 120))!.calls).toEqual([select(60, regex(['i1', 'i2']))]);
  });

  it('plans only queries whose form it can read cheaply', () => {
    const prefetch = new SelectPrefetch();
    expect(prefetch.plan({ ...rangeTask('up', 0, 60), route: 'series' })).toBeUndefined();
    expect(prefetch.plan(rangeTask('up', 0, 60))).toMatchObject({ calls: [] });
    expect(prefetch.plan({ ...rangeTask('up', 0, 60), search: 'query=up&start=yesterday&end=60&step=15' })).toBeUndefined();
    expect(prefetch.plan(rangeTask('x'.repeat(5000), 0, 60))).toBeUndefined();
  });
});
