import { readdirSync, readFileSync } from 'node:fs';
import { MetricsRegistry, silentLogger } from '@pyrometer/telemetry';
import type { Tsdb } from '@pyrometer/tsdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstantTask } from './protocol.js';
import type { PromptLaneOptions } from './prompt-lane.js';
import { QueryPool } from './query-pool.js';
import { openUpTsdb } from './test-tsdb.js';
import { TEST_WORKER_CONFIG } from './test-worker-config.js';

/** A few ms of CPU on a warm worker. */
const SHORT: InstantTask = { kind: 'instant', query: 'count(up)', time: 2000 };
/** Hundreds of ms of CPU (360,000 subquery steps). */
const LONG: InstantTask = { kind: 'instant', query: 'count_over_time(vector(1)[1h:10ms])', time: 0 };

let tsdb: Tsdb;

beforeAll(async () => {
  tsdb = await openUpTsdb();
});
afterAll(() => tsdb.close());

function newPool(lane: Partial<PromptLaneOptions>, warmUp = false): { pool: QueryPool; registry: MetricsRegistry } {
  const registry = new MetricsRegistry();
  const promptLane = { shortTaskMs: 20, budgetMs: 100, restartAfterMs: 0, startWhenIdleMs: 10, shapes: 100, ...lane };
  return { pool: new QueryPool({ size: 3, config: { ...TEST_WORKER_CONFIG, warmUp }, storage: tsdb, logger: silentLogger(), registry, promptLane }), registry };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function metric(registry: MetricsRegistry, name: string): number | undefined {
  return registry.collect().find((f) => f.name === name)?.metrics[0]?.value;
}

const run = (pool: QueryPool, task: InstantTask) => pool.run(task, () => {});

/** Runs `task` until one run of it went to the prompt worker (the first ones start that worker, and run niced meanwhile). */
async function runUntilPrompt(pool: QueryPool, registry: MetricsRegistry, task: InstantTask): Promise<void> {
  const before = metric(registry, 'pyrometer_query_prompt_tasks_total')!;
  for (let i = 0; i < 100 && metric(registry, 'pyrometer_query_prompt_tasks_total') === before; i++) {
    await run(pool, task);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(metric(registry, 'pyrometer_query_prompt_tasks_total')).toBe(before + 1);
}

/** The niceness (field 19 of /proc/self/task/<tid>/stat) of each of the process's threads, by id. */
function threadNiceness(): Map<string, number> {
  const niceOf = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
  return new Map(readdirSync('/proc/self/task').map((tid) => [tid, niceOf(tid)]));
}

/**
 * The niceness of the threads started since `before`, sorted. From the sources, a worker also
 * starts a thread for its module loader (tsx's hooks), at niceness 0 before the worker renices
 * itself: tests look for the worker threads' 10s, or only 0s.
 */
function started(before: Map<string, number>): number[] {
  return [...threadNiceness()].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice).sort((a, b) => a - b);
}

/** The threads running before and after, whose niceness changed since `before`: `[from, to]` each. */
function reniced(before: Map<string, number>): [number, number][] {
  return [...threadNiceness()].filter(([tid, nice]) => before.has(tid) && before.get(tid) !== nice).map(([tid, nice]) => [before.get(tid)!, nice]);
}

describe.skipIf(process.platform !== 'linux')('QueryPool prompt lane', () => {
  it('runs a short task again on one worker at niceness 0, and a long or unknown one on a niced worker', async () => {
    const { pool, registry } = newPool({ shortTaskMs: 50 });
    let threads = threadNiceness();
    // Unknown: a niced worker.
    await run(pool, SHORT);
    expect(started(threads).filter((nice) => nice !== 0)).toEqual([10]);
    threads = threadNiceness();
    // Its run made it known short: the prompt worker starts for it, at niceness 0.
    await runUntilPrompt(pool, registry, SHORT);
    expect(started(threads)).toContain(0);
    expect(started(threads).filter((nice) => nice !== 0)).toEqual([]);
    // A long task stays niced, however often it runs, and so does an unknown one.
    await run(pool, LONG);
    await run(pool, LONG);
    await run(pool, { ...SHORT, query: 'count(up) > 0' });
    expect(metric(registry, 'pyrometer_query_prompt_tasks_total')).toBe(1);
    // The short one again: the prompt worker.
    await run(pool, SHORT);
    expect(metric(registry, 'pyrometer_query_prompt_tasks_total')).toBe(2);
    expect(metric(registry, 'pyrometer_query_prompt_worker_demotions_total')).toBe(0);
    await pool.stop();
  });

  it('nices a prompt worker whose task overran the budget for good, counts it, and starts another for the next short task', async () => {
    // Every task that ran once is predicted short: LONG, on the prompt worker, overruns.
    const { pool, registry } = newPool({ shortTaskMs: 60_000, budgetMs: 30 });
    await run(pool, LONG);
    await runUntilPrompt(pool, registry, SHORT);
    let threads = threadNiceness();
    await run(pool, LONG);
    expect(metric(registry, 'pyrometer_query_prompt_worker_demotions_total')).toBe(1);
    expect(reniced(threads)).toEqual([[0, 10]]);
    // The demoted worker takes niced tasks; a new prompt worker starts for the next short task.
    threads = threadNiceness();
    await runUntilPrompt(pool, registry, SHORT);
    expect(started(threads)).toContain(0);
    expect(started(threads).filter((nice) => nice !== 0)).toEqual([]);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(3);
    await pool.stop();
  });

  it('starts the prompt worker once the pool has run no task for startWhenIdleMs, not during a burst of tasks', async () => {
    const { pool, registry } = newPool({ shortTaskMs: 60_000, startWhenIdleMs: 300 });
    await run(pool, SHORT);
    const threads = threadNiceness();
    // Known short from here on: each run asks for a prompt worker, but the next comes within ms.
    for (let i = 0; i < 20; i++) await run(pool, SHORT);
    expect(started(threads)).toEqual([]);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(1);
    await sleep(600);
    expect(started(threads)).toContain(0);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(2);
    await pool.stop();
  });

  it('asks for the prompt worker as the first short task ends: the next idle spell starts it, before the shape runs again', async () => {
    const { pool, registry } = newPool({ shortTaskMs: 60_000, startWhenIdleMs: 50 });
    await run(pool, SHORT);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(1);
    for (let i = 0; i < 100 && metric(registry, 'pyrometer_query_workers') === 1; i++) await sleep(20);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(2);
    expect(metric(registry, 'pyrometer_query_prompt_tasks_total')).toBe(0);
    await pool.stop();
  });

  it('gives the prompt worker no task before its warm-up has run through, which waits while tasks run', async () => {
    const { pool, registry } = newPool({ shortTaskMs: 60_000 }, true);
    await run(pool, SHORT);
    await run(pool, SHORT);
    // The pool idles: the prompt worker starts. A burst then keeps its warm-up held, long after it is ready.
    await sleep(100);
    const burstEnds = performance.now() + 2_000;
    while (performance.now() < burstEnds) await run(pool, SHORT);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(2);
    expect(metric(registry, 'pyrometer_query_prompt_tasks_total')).toBe(0);
    // With gaps between tasks, it warms up, then takes the short ones.
    for (let i = 0; i < 100 && metric(registry, 'pyrometer_query_prompt_tasks_total') === 0; i++) {
      await sleep(300);
      await run(pool, SHORT);
    }
    expect(metric(registry, 'pyrometer_query_prompt_tasks_total')).toBeGreaterThan(0);
    await pool.stop();
  });

  it('starts at most one prompt worker per restartAfterMs', async () => {
    const { pool, registry } = newPool({ shortTaskMs: 60_000, budgetMs: 30, restartAfterMs: 60_000 });
    await run(pool, LONG);
    await runUntilPrompt(pool, registry, SHORT);
    await run(pool, LONG);
    expect(metric(registry, 'pyrometer_query_prompt_worker_demotions_total')).toBe(1);
    for (let i = 0; i < 5; i++) await run(pool, SHORT);
    expect(metric(registry, 'pyrometer_query_workers')).toBe(2);
    expect(metric(registry, 'pyrometer_query_prompt_tasks_total')).toBe(2);
    await pool.stop();
  });
});
