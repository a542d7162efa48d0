import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HeapGuard, type HeapReading } from './heap-guard.js';

const MiB = 2 ** 20;

/** A label value 16 characters long, multiplied by 16 at each of six nestings: one 268M-character string (~256 MiB) once flattened. */
const GIANT_LABEL_QUERY = Array.from({ length: 6 }).reduce<string>(
  (inner) => `label_replace(${inner}, "b", "${'$1'.repeat(16)}", "b", "(.*)")`,
  'label_replace(vector(1), "b", "aaaaaaaaaaaaaaaa", "", "")',
);

/** query-pool.test.ts's HEAP_EXHAUSTING: a new series at every one of 3.5M steps, arrays growing by ~17 MB at once. */
const HEAP_EXHAUSTING_QUERY = 'count_over_time(count_values("t", vector(time()))[40d:1s])';

interface Answer {
  status?: number;
  body?: string;
  failure?: string;
}

interface ChildRun {
  /** The child's exit status: null when a signal ended it (V8's process abort is SIGABRT). */
  status: number | null;
  stderr: string;
  answers: Answer[];
  restarts: number;
}

/**
 * Runs `queries` one after another, each as an API request (`/api/v1/query` at time 0), on a pool
 * of one worker with a `maxHeapMb` old generation, in a child process: a query that made V8 abort
 * the process shows as a child killed by a signal, and this process goes on.
 */
function runInChild(queries: string[], { maxHeapMb, heapShare }: { maxHeapMb: number; heapShare?: number }): ChildRun {
  const url = (file: string) => JSON.stringify(pathToFileURL(join(import.meta.dirname, file)).href);
  const child = `
    import { mkdtempSync, rmSync } from 'node:fs';
    import { tmpdir } from 'node:os';
    import { join } from 'node:path';
    import { Labels } from '@pyrometer/model';
    import { MetricsRegistry, silentLogger } from '@pyrometer/telemetry';
    import { Tsdb } from '@pyrometer/tsdb';
    const { QueryPool } = await import(${url('query-pool.ts')});
    const { TEST_WORKER_CONFIG } = await import(${url('test-worker-config.ts')});
    const dir = mkdtempSync(join(tmpdir(), 'heap-guard-'));
    const tsdb = await Tsdb.open(dir, { compactionInterval: 0 });
    const app = tsdb.appender();
    for (let i = 0; i < 3; i++) app.append(0, Labels.from({ __name__: 'up', instance: 'i' + i }), 0, 1);
    await app.commit();
    const registry = new MetricsRegistry();
    const config = { ...TEST_WORKER_CONFIG, heapShare: ${JSON.stringify(heapShare ?? null)} ?? undefined };
    const pool = new QueryPool({ size: 1, config, storage: tsdb, logger: silentLogger(), registry, maxHeapMb: ${maxHeapMb} });
    const answers = [];
    for (const query of ${JSON.stringify(queries)}) {
      const task = { kind: 'http', route: 'query', search: 'time=0&query=' + encodeURIComponent(query), body: undefined, params: {}, now: 0, deadline: Date.now() + 120000, externalLabels: {}, gzip: false };
      const answer = {};
      const pieces = [];
      await pool.run(task, (msg) => {
        if (msg.type === 'head') answer.status = msg.head.status;
        if (msg.type === 'head' || msg.type === 'chunk') pieces.push(Buffer.from(msg.body));
      }).catch((err) => (answer.failure = err.type + ': ' + err.message));
      answer.body = Buffer.concat(pieces).toString();
      answers.push(answer);
    }
    const restarts = registry.collect().find((f) => f.name === 'pyrometer_query_worker_restarts_total').metrics[0].value;
    await pool.stop();
    await tsdb.close();
    rmSync(dir, { recursive: true });
    console.log(JSON.stringify({ answers, restarts }));
  `;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=source', '--input-type=module', '-e', child], { cwd: join(import.meta.dirname, '../..'), encoding: 'utf8', timeout: 120_000 });
  const out = run.status === 0 ? (JSON.parse(run.stdout) as Omit<ChildRun, 'status' | 'stderr'>) : { answers: [], restarts: NaN };
  return { status: run.status, stderr: run.stderr.slice(-2000), ...out };
}

const COUNT_UP = { status: 200, body: expect.stringContaining('"value":[0,"3"]') as unknown };

describe('a query that would exhaust its worker heap', () => {
  it('fails with a 422 naming the heap, instead of a 256 MiB label value aborting the whole process; the same worker serves the next query', () => {
    // Its heap has room for the nestings before the last, so the last one's single allocation is what the guard must refuse.
    const run = runInChild([GIANT_LABEL_QUERY, 'count(up)'], { maxHeapMb: 224 });
    expect(run.status, run.stderr).toBe(0);
    // What the heap holds plus the value's 512 MiB (two bytes a character counted).
    const tooMuchMemory = /"errorType":"execution","error":"query processing would use too much memory: the query worker's heap would hold 5\d\d\.\d MiB, over the 112 MiB a query may fill \(50% of its 224 MiB limit\)"/;
    expect(run.answers).toEqual([{ status: 422, body: expect.stringMatching(tooMuchMemory) as unknown }, COUNT_UP]);
    expect(run.restarts).toBe(0);
  }, 120_000);

  it('without the guard, still only costs its worker when the heap grows in small enough steps (V8 limit, the pool replaces the worker)', () => {
    const run = runInChild([HEAP_EXHAUSTING_QUERY, 'count(up)'], { maxHeapMb: 96, heapShare: 1 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.answers).toEqual([{ failure: expect.stringMatching(/^internal: query worker stopped: .*memory/) as unknown, body: '' }, COUNT_UP]);
    expect(run.restarts).toBe(1);
  }, 120_000);
});

/** A heap whose readings the test sets; `collect` brings `used` down to `live`. */
class FakeHeap {
  used = 0;
  live = 0;
  collections = 0;
  readonly limit = 100 * MiB;
  readonly read = (): HeapReading => ({ used: this.used, limit: this.limit });
  readonly collect = (): void => {
    this.collections++;
    this.used = this.live;
  };
}

/** Reads `guard.exhausted` as the engine polls it, `times` times; returns the last answer. */
function poll(guard: HeapGuard, times: number): boolean {
  let exhausted = false;
  for (let i = 0; i < times; i++) exhausted = guard.exhausted;
  return exhausted;
}

describe('HeapGuard', () => {
  it('reads the heap once every 64 polls and fails the task once its live heap passes the share, with a 422-type error', () => {
    const heap = new FakeHeap();
    const guard = new HeapGuard(0.5, heap.collect, heap.read);
    heap.used = heap.live = 60 * MiB;
    expect(poll(guard, 63)).toBe(false);
    expect(guard.exhausted).toBe(true);
    expect(heap.collections).toBe(1);
    expect(guard.reason).toMatchObject({ code: 'too_many_samples', message: expect.stringContaining('heap would hold 60.0 MiB, over the 50 MiB a query may fill (50% of its 100 MiB limit)') });
    guard.taskStarted();
    heap.used = heap.live = 10 * MiB;
    expect(poll(guard, 1000)).toBe(false);
    expect(guard.reason).toBeUndefined();
  });

  it('lets garbage past the share pass after a collection shows it is garbage, and collects again only after an eighth of the share more', () => {
    const heap = new FakeHeap();
    const guard = new HeapGuard(0.5, heap.collect, heap.read);
    heap.used = 55 * MiB;
    heap.live = 45 * MiB;
    expect(poll(guard, 64)).toBe(false);
    expect(heap.collections).toBe(1);
    heap.used = 51 * MiB;
    heap.live = 51 * MiB;
    // 6 MiB grown since the collection, less than an eighth of 50: failed without collecting again.
    expect(poll(guard, 64)).toBe(true);
    expect(heap.collections).toBe(1);
    guard.taskStarted();
    heap.used = 60 * MiB;
    heap.live = 20 * MiB;
    expect(poll(guard, 64)).toBe(false);
    expect(heap.collections).toBe(2);
  });

  it('tells whether one allocation fits the share; one that does not fails the task', () => {
    const heap = new FakeHeap();
    const guard = new HeapGuard(0.5, heap.collect, heap.read);
    heap.used = heap.live = 20 * MiB;
    expect(guard.fits(30 * MiB)).toBe(true);
    expect(guard.exhausted).toBe(false);
    expect(guard.fits(31 * MiB)).toBe(false);
    expect(guard.exhausted).toBe(true);
    expect(guard.reason?.message).toContain('heap would hold 51.0 MiB, over the 50 MiB');
  });

  it('without a way to collect, trusts the reading', () => {
    const heap = new FakeHeap();
    const guard = new HeapGuard(0.5, undefined, heap.read);
    heap.used = 51 * MiB;
    expect(poll(guard, 64)).toBe(true);
  });
});
