import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { ApiError } from '@pyrometer/http-api';
import { Labels } from '@pyrometer/model';
import { MetricsRegistry, silentLogger } from '@pyrometer/telemetry';
import type { Tsdb } from '@pyrometer/tsdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpTask, InstantTask } from './protocol.js';
import type { TaskMessage } from './query-pool-options.js';
import { QueryPool } from './query-pool.js';
import { QueryService } from './query-service.js';
import { openUpTsdb } from './test-tsdb.js';
import { TEST_WORKER_CONFIG } from './test-worker-config.js';
import type { ChunkQueryable } from './storage-host.js';
import { valueFromWire } from './value-wire.js';

// Evaluating it takes tens of seconds and hundreds of MB: it runs until it is stopped.
const ENDLESS: InstantTask = { kind: 'instant', query: 'count_over_time(vector(1)[400d:1s])', time: 0 };
/** A new series at every one of 3.5M steps: fills any worker heap (a long grid's columns are typed arrays outside it, so ENDLESS does not), arrays growing by ~17 MB at once. */
const HEAP_EXHAUSTING: InstantTask = { kind: 'instant', query: 'count_over_time(count_values("t", vector(time()))[40d:1s])', time: 0 };

let tsdb: Tsdb;

beforeAll(async () => {
  tsdb = await openUpTsdb();
});
afterAll(() => tsdb.close());

function newPool(options: { maxHeapMb?: number; cancelGraceMs?: number; size?: number; maxCachedLabels?: number; storage?: ChunkQueryable; idleWorkerMs?: number; lastWorkerIdleMs?: number } = {}): { pool: QueryPool; registry: MetricsRegistry } {
  const registry = new MetricsRegistry();
  return { pool: new QueryPool({ size: options.size ?? 1, config: TEST_WORKER_CONFIG, storage: tsdb, logger: silentLogger(), registry, ...options }), registry };
}

async function countUp(pool: QueryPool): Promise<number> {
  let count = NaN;
  await pool.run({ kind: 'instant', query: 'count(up)', time: 2000 }, (msg: TaskMessage) => {
    if (msg.type === 'value') {
      const v = valueFromWire(msg.value);
      if (v.type === 'vector') count = v.samples[0]!.f;
    }
  });
  return count;
}

function metric(registry: MetricsRegistry, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = registry.collect().find((f) => f.name === name);
  return family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels.get(k) === v))?.value;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A query_range of `query` over 9,000 s at `step` seconds, as the HTTP route hands it to a worker. */
function rangeTask(step: number, query = 'vector(time())'): HttpTask {
  return { kind: 'http', route: 'query_range', search: `query=${encodeURIComponent(query)}&start=0&end=9000&step=${step}`, body: undefined, params: {}, now: 0, deadline: Date.now() + 60_000, externalLabels: {}, gzip: false };
}

/** Two series of 9,001 points at a step of 1 s (~360 KB of JSON): an answer streamed in pieces. */
const STREAMED_QUERY = 'vector(time() + 1e9) or label_replace(vector(time() + 1e9), "copy", "1", "", "")';

/** After idle workers stopped: none left, none of them counted as a failure, and the next task starts one. */
async function expectNoWorkerUntilTheNextTask(pool: QueryPool, registry: MetricsRegistry): Promise<void> {
  expect(metric(registry, 'pyrometer_query_workers')).toBe(0);
  expect(metric(registry, 'pyrometer_query_worker_restarts_total')).toBe(0);
  expect(await countUp(pool)).toBe(3);
  expect(metric(registry, 'pyrometer_query_workers')).toBe(1);
  await pool.stop();
}

describe('QueryPool', () => {
  it('runs a query in a worker that reads the TSDB through the main thread', async () => {
    const { pool } = newPool();
    expect(await countUp(pool)).toBe(3);
    await pool.stop();
  });

  it('starts no worker until a task comes, and another only when a task finds every running worker busy', async () => {
    const { pool, registry } = newPool({ size: 3, cancelGraceMs: 60_000 });
    await delay(200);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(0);
    expect(await countUp(pool)).toBe(3);
    expect(await countUp(pool)).toBe(3);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(1);
    const abort = new AbortController();
    const busy = pool.run(ENDLESS, () => {}, { signal: abort.signal });
    expect(await countUp(pool)).toBe(3);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(2);
    abort.abort();
    await expect(busy).rejects.toMatchObject({ type: 'canceled' });
    expect(await countUp(pool)).toBe(3);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(2);
    await pool.stop();
  }, 30_000);

  it('lets a task that may wait (growAfterMs) take the busy worker once it is free, and start another only after its wait', async () => {
    const { pool, registry } = newPool({ size: 3, cancelGraceMs: 60_000 });
    expect(await countUp(pool)).toBe(3);
    const values: number[] = [];
    const upCount = (msg: TaskMessage) => {
      if (msg.type === 'value') values.push((valueFromWire(msg.value) as { samples: { f: number }[] }).samples[0]!.f);
    };
    const countTask: InstantTask = { kind: 'instant', query: 'count(up)', time: 2000 };
    // Two short tasks at once: the second waits for the first's worker instead of starting one.
    await Promise.all([pool.run(countTask, upCount), pool.run(countTask, upCount, { growAfterMs: 60_000 })]);
    expect(values).toEqual([3, 3]);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(1);
    // Behind a task that does not end, it starts a worker once its wait is over.
    const abort = new AbortController();
    const busy = pool.run(ENDLESS, () => {}, { signal: abort.signal });
    const started = performance.now();
    await pool.run(countTask, upCount, { growAfterMs: 300 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(values).toEqual([3, 3, 3]);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(2);
    abort.abort();
    await expect(busy).rejects.toMatchObject({ type: 'canceled' });
    await pool.stop();
  }, 30_000);

  it('stops the workers a busy spell started once they idle, the last one too', async () => {
    const { pool, registry } = newPool({ size: 3, cancelGraceMs: 60_000, idleWorkerMs: 200, lastWorkerIdleMs: 200 });
    const abort = new AbortController();
    const busy = [pool.run(ENDLESS, () => {}, { signal: abort.signal }), pool.run(ENDLESS, () => {}, { signal: abort.signal })];
    expect(await countUp(pool)).toBe(3);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(3);
    abort.abort();
    await Promise.allSettled(busy);
    while (metric(registry, 'pyrometer_query_workers')! > 0) await delay(50);
    expect(metric(registry, 'pyrometer_query_workers_stopped_idle_total')).toBe(3);
    await expectNoWorkerUntilTheNextTask(pool, registry);
  }, 30_000);

  it('stops its last worker once idle after a task, and starts one again for the next task', async () => {
    const { pool, registry } = newPool({ idleWorkerMs: 200, lastWorkerIdleMs: 200 });
    expect(await countUp(pool)).toBe(3);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(1);
    while (metric(registry, 'pyrometer_query_workers')! > 0) await delay(50);
    expect(metric(registry, 'pyrometer_query_workers_stopped_idle_total')).toBe(1);
    await expectNoWorkerUntilTheNextTask(pool, registry);
  }, 30_000);

  it('keeps its last worker longer than the others: lastWorkerIdleMs, not idleWorkerMs', async () => {
    const { pool, registry } = newPool({ size: 3, cancelGraceMs: 60_000, idleWorkerMs: 100, lastWorkerIdleMs: 1_500 });
    const abort = new AbortController();
    const busy = pool.run(ENDLESS, () => {}, { signal: abort.signal });
    expect(await countUp(pool)).toBe(3);
    abort.abort();
    await Promise.allSettled([busy]);
    while (metric(registry, 'pyrometer_query_workers_stopped_idle_total')! < 1) await delay(20);
    // One worker went after 100 ms idle; the last one stays until 1.5 s have passed.
    await delay(500);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(1);
    expect(metric(registry, 'pyrometer_query_workers_stopped_idle_total')).toBe(1);
    while (metric(registry, 'pyrometer_query_workers')! > 0) await delay(50);
    expect(metric(registry, 'pyrometer_query_workers_stopped_idle_total')).toBe(2);
    await pool.stop();
  }, 30_000);

  it('runs a task that arrives while its only worker is stopping for idling, once that worker is gone', async () => {
    const { pool, registry } = newPool({ size: 1, idleWorkerMs: 100, lastWorkerIdleMs: 100 });
    expect(await countUp(pool)).toBe(3);
    while (metric(registry, 'pyrometer_query_workers_stopped_idle_total') === 0) await delay(1);
    // The worker is being terminated: the pool is at its size until it has exited.
    expect(await countUp(pool)).toBe(3);
    await pool.stop();
  });

  // Two series of 9,001 points are streamed in pieces; 31 points travel whole.
  it.each([
    { answer: 'a value', task: { kind: 'instant', query: 'count(up)', time: 2000 } as const, last: (msg: TaskMessage) => msg.type === 'value' },
    { answer: 'a whole HTTP answer', task: rangeTask(300), last: (msg: TaskMessage) => msg.type === 'head' && msg.head.complete },
    { answer: 'a streamed HTTP answer', task: rangeTask(1, STREAMED_QUERY), last: (msg: TaskMessage) => msg.type === 'chunk' && msg.last },
  ])('gives a task sent as soon as the last one answered ($answer) to that worker, not to a new one', async ({ task, last }) => {
    const { pool, registry } = newPool({ size: 3 });
    let next: Promise<number> | undefined;
    await pool.run(task, (msg: TaskMessage) => {
      // The worker has answered but its `done` is not read yet: a quick client's next query arrives now.
      if (last(msg)) next = countUp(pool);
    });
    expect(await next).toBe(3);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(1);
    await pool.stop();
  });

  it('sends an answer under 256 K characters whole, in one message (9,001 points, ~120 KB)', async () => {
    const { pool } = newPool();
    const messages: string[] = [];
    await pool.run(rangeTask(1), (msg: TaskMessage) => {
      messages.push(msg.type === 'head' ? `head complete=${msg.head.complete} ${msg.body.byteLength > 100_000}` : msg.type);
    });
    expect(messages).toEqual(['head complete=true true']);
    await pool.stop();
  });

  it.each([
    { name: 'kept', maxCachedLabels: undefined },
    { name: 'dropped after every task (the main thread forgetting what it sent in the same step)', maxCachedLabels: 1 },
  ])('answers with each series\' labels whether the worker\'s label cache is $name', async ({ maxCachedLabels }) => {
    const { pool } = newPool(maxCachedLabels === undefined ? {} : { maxCachedLabels });
    const instances = async (): Promise<string[]> => {
      let found: string[] = [];
      await pool.run({ kind: 'instant', query: 'up', time: 2000 }, (msg: TaskMessage) => {
        const v = msg.type === 'value' ? valueFromWire(msg.value) : undefined;
        if (v?.type === 'vector') found = v.samples.map((x) => x.metric.get('instance')).sort();
      });
      return found;
    };
    // The first query sends the labels; the later ones only the series' refs (or, dropped, the labels again).
    for (let round = 0; round < 3; round++) expect(await instances()).toEqual(['i0', 'i1', 'i2']);
    await pool.stop();
  });

  it.skipIf(process.platform !== 'linux')('renices the worker thread, not the process', async () => {
    const niceOf = (task: string) => Number(readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const before = readdirSync('/proc/self/task');
    const { pool } = newPool();
    await countUp(pool);
    const added = readdirSync('/proc/self/task').filter((t) => !before.includes(t));
    expect(added.map(niceOf)).toContain(10);
    expect(niceOf(String(process.pid))).toBe(0);
    await pool.stop();
  });

  it('serves the rules\' instant queries, rejecting as the engine does', async () => {
    const { pool } = newPool();
    const service = new QueryService(pool);
    const { value } = await service.instantQuery('count(up)', 2000);
    expect(value).toMatchObject({ type: 'vector', samples: [{ f: 3 }] });
    await expect(service.instantQuery('count(', 2000)).rejects.toMatchObject({ name: 'PromQLError', code: 'bad_data' });
    const abort = new AbortController();
    abort.abort();
    await expect(service.instantQuery('up', 2000, { signal: abort.signal })).rejects.toMatchObject({ name: 'PromQLError', code: 'canceled' });
    await pool.stop();
  });

  it('evaluates a batch of rule queries in one task: one outcome per query, a failing query failing only its own', async () => {
    const { pool, registry } = newPool();
    const service = new QueryService(pool);
    const outcomes = await service.instantQueries(['count(up)', 'count(', 'sum(up) * 2', 'scalar(up)'], 2000);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, true]);
    expect(outcomes[0]).toMatchObject({ value: { type: 'vector', samples: [{ f: 3, t: 2000 }] } });
    expect(outcomes[1]).toMatchObject({ error: { name: 'PromQLError', code: 'bad_data', message: expect.stringContaining('unclosed left parenthesis') } });
    expect(outcomes[2]).toMatchObject({ value: { type: 'vector', samples: [{ f: 6 }] } });
    expect(outcomes[3]).toMatchObject({ value: { type: 'scalar', v: NaN } });
    for (const o of outcomes) expect(o.durationMs).toBeGreaterThanOrEqual(0);
    expect(metric(registry, 'prometheus_engine_queries')).toBe(0);
    const abort = new AbortController();
    abort.abort();
    await expect(service.instantQueries(['up'], 2000, { signal: abort.signal })).rejects.toMatchObject({ name: 'PromQLError', code: 'canceled' });
    await pool.stop();
  });

  it('asks storage once per selector a batch\'s queries share, and answers as query by query', async () => {
    let selects = 0;
    const counting: ChunkQueryable = {
      chunkQuerier: (mint, maxt, options) => tsdb.chunkQuerier(mint, maxt, options),
      leaseBlocks: (mint, maxt) => {
        selects++;
        return tsdb.leaseBlocks(mint, maxt);
      },
      startTime: () => tsdb.startTime(),
      head: tsdb.head,
    };
    const { pool } = newPool({ storage: counting });
    const service = new QueryService(pool);
    const batch = ['count(up)', 'sum(up) * 2', 'up{instance="i1"}', 'max(up) + count(up)', 'rate(up[1m])', 'count(up) > 1'];
    const outcomes = await service.instantQueries(batch, 2000);
    expect(selects, 'up (five queries, one over a longer range), up{instance="i1"}').toBe(2);
    const oneByOne = [];
    for (const query of batch) oneByOne.push((await service.instantQuery(query, 2000)).value);
    expect(outcomes.map((o) => (o.ok ? o.value : o.error))).toEqual(oneByOne);
    selects = 0;
    await service.instantQueries(batch, 2000);
    expect(selects, 'the next round asks again: nothing is kept between batches').toBe(2);
    await pool.stop();
  });

  it('answers a rule batch\'s selects as its task is posted from its second round on, with the data of that round', async () => {
    const { pool, registry } = newPool();
    const service = new QueryService(pool);
    const batch = ['sum(up)', 'up{instance="i1"}', 'max(up) + count(up)', 'rate(up[1m])'];
    const values = async (time: number) => (await service.instantQueries(batch, time)).map((o) => (o.ok ? o.value : o.error));
    await values(2000);
    expect(metric(registry, 'pyrometer_query_prefetched_storage_calls_total', { outcome: 'taken' })).toBe(0);
    const app = tsdb.appender();
    app.append(0, Labels.from({ __name__: 'up', instance: 'i1' }), 16_000, 5);
    await app.commit();
    const prefetched = await values(17_000);
    expect(metric(registry, 'pyrometer_query_prefetched_storage_calls_total', { outcome: 'taken' })).toBe(2);
    expect(metric(registry, 'pyrometer_query_prefetched_storage_calls_total', { outcome: 'unused' })).toBe(0);
    const oneByOne = [];
    for (const query of batch) oneByOne.push((await service.instantQuery(query, 17_000)).value);
    expect(prefetched).toEqual(oneByOne);
    expect(prefetched[0]).toMatchObject({ samples: [{ f: 7 }] });
    await pool.stop();
  });

  it('starts workers with 16 MiB young-generation semi-spaces (V8 starts a worker at 1–2 MiB)', async () => {
    const { pool } = newPool();
    expect(await countUp(pool)).toBe(3);
    // A worker created after the pool's reports the semi-space size every later isolate gets.
    const probe = new Worker("const v8 = require('node:v8'); require('node:worker_threads').parentPort.postMessage(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)", { eval: true });
    const [newSpaceBytes] = (await once(probe, 'message')) as [number];
    await probe.terminate();
    expect(newSpaceBytes).toBeGreaterThanOrEqual(16 * 1024 * 1024);
    await pool.stop();
  });

  it('fails a query that fills its worker heap with a clear error before V8 limits it, keeping the worker', async () => {
    const { pool, registry } = newPool({ maxHeapMb: 96 });
    const failure = await pool.run(HEAP_EXHAUSTING, () => {}).then(() => undefined, (err: unknown) => err);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ type: 'execution', message: expect.stringMatching(/^query processing would use too much memory: the query worker's heap/) });
    // The guard stopped it (heap-guard.ts); V8's limit, which aborts the process on a big enough step, was never reached.
    expect(metric(registry, 'pyrometer_query_worker_restarts_total')).toBe(0);
    expect(await countUp(pool)).toBe(3);
    await pool.stop();
  }, 60_000);

  it('stops a canceled evaluation through the shared cancel cell, without losing the worker', async () => {
    // A grace period no loaded machine exceeds: the worker is never terminated, so only the cell can stop the task.
    const { pool, registry } = newPool({ cancelGraceMs: 60_000 });
    const abort = new AbortController();
    const running = pool.run(ENDLESS, () => {}, { signal: abort.signal });
    await delay(500);
    expect(metric(registry, 'prometheus_engine_queries')).toBe(1);
    abort.abort();
    await expect(running).rejects.toMatchObject({ type: 'canceled' });
    expect(metric(registry, 'prometheus_engine_queries')).toBe(0);
    expect(metric(registry, 'pyrometer_queries_canceled_total', { reason: 'canceled' })).toBe(1);
    expect(metric(registry, 'pyrometer_query_worker_restarts_total')).toBe(0);
    expect(await countUp(pool)).toBe(3);
    await pool.stop();
  }, 30_000);

  it('terminates and replaces a worker whose canceled task does not stop (parsing a 1 MB query)', async () => {
    const { pool, registry } = newPool({ cancelGraceMs: 50 });
    const task: HttpTask = { kind: 'http', route: 'query', search: `?query=1${'%2B1'.repeat(500_000)}`, body: undefined, params: {}, now: 0, deadline: Date.now() + 60_000, externalLabels: {}, gzip: false };
    const abort = new AbortController();
    const running = pool.run(task, () => {}, { signal: abort.signal });
    await delay(500);
    abort.abort(new ApiError('timeout', 'query timed out in query execution'));
    await expect(running).rejects.toMatchObject({ type: 'timeout', message: 'query timed out in query execution' });
    expect(metric(registry, 'pyrometer_query_worker_restarts_total')).toBe(1);
    expect(metric(registry, 'pyrometer_queries_canceled_total', { reason: 'timeout' })).toBe(1);
    expect(await countUp(pool)).toBe(3);
    await pool.stop();
  }, 30_000);

  it('gives no task to a worker it is terminating, though the worker reports its canceled task done meanwhile', async () => {
    const { pool, registry } = newPool({ cancelGraceMs: 50 });
    expect(await countUp(pool)).toBe(3);
    const abort = new AbortController();
    let running: Promise<void> | undefined;
    let next: Promise<number> | undefined;
    // From a check-phase callback, the main thread is blocked past the grace period while the
    // worker stops its canceled task (through the cancel cell) and posts 'done'. The next loop
    // iteration runs the expired grace timer (timers phase: the worker is terminated) before it
    // reads that 'done' (poll phase), which frees the slot of a worker about to exit.
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        running = pool.run({ kind: 'instant', query: 'up', time: 2000 }, () => {}, { signal: abort.signal });
        next = countUp(pool);
        abort.abort();
        const until = Date.now() + 1000;
        while (Date.now() < until);
        resolve();
      }),
    );
    await expect(running).rejects.toMatchObject({ type: 'canceled' });
    // Given to the worker being terminated, it would fail with 'query worker stopped: exited'.
    expect(await next).toBe(3);
    expect(metric(registry, 'pyrometer_query_worker_restarts_total')).toBe(1);
    await pool.stop();
  }, 30_000);

  it('drops a queued task that is canceled before a worker is free, and runs high priority first', async () => {
    const { pool } = newPool();
    const abort = new AbortController();
    const busy = pool.run(ENDLESS, () => {}, { signal: abort.signal });
    const order: string[] = [];
    const queuedAbort = new AbortController();
    const dropped = pool.run({ kind: 'instant', query: '1', time: 0 }, () => void order.push('dropped'), { signal: queuedAbort.signal });
    const normal = pool.run({ kind: 'instant', query: '1', time: 0 }, () => void order.push('normal'));
    const high = pool.run({ kind: 'instant', query: '1', time: 0 }, () => void order.push('high'), { priority: 'high' });
    queuedAbort.abort();
    await expect(dropped).rejects.toMatchObject({ type: 'canceled' });
    abort.abort();
    await expect(busy).rejects.toMatchObject({ type: 'canceled' });
    await Promise.all([normal, high]);
    expect(order).toEqual(['high', 'normal']);
    await pool.stop();
  }, 30_000);
});
