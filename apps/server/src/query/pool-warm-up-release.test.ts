import { silentLogger } from '@pyrometer/telemetry';
import type { Tsdb } from '@pyrometer/tsdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Slot } from './pool-tasks.js';
import type { InstantTask, ToWorker } from './protocol.js';
import { QueryPool } from './query-pool.js';
import { openUpTsdb } from './test-tsdb.js';
import { TEST_WORKER_CONFIG } from './test-worker-config.js';

const SHORT: InstantTask = { kind: 'instant', query: 'count(up)', time: 2000 };

let tsdb: Tsdb;

beforeAll(async () => {
  tsdb = await openUpTsdb();
});
afterAll(() => tsdb.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(process.platform !== 'linux')('QueryPool warm-up holds', () => {
  it('holds a cold worker\'s warm-up once for a burst of tasks on another worker, and lets it go once the pool has gone quiet', async () => {
    const promptLane = { shortTaskMs: 60_000, budgetMs: 60_000, restartAfterMs: 0, startWhenIdleMs: 10, shapes: 100 };
    const pool = new QueryPool({ size: 2, config: { ...TEST_WORKER_CONFIG, warmUp: true }, storage: tsdb, logger: silentLogger(), promptLane });
    await pool.run(SHORT, () => {});
    await pool.run(SHORT, () => {});
    // The pool idled: the prompt worker starts, cold, and warms up.
    await sleep(100);
    const slots = [...(pool as unknown as { slots: Set<Slot> }).slots];
    const prompt = slots.find((s) => s.prompt);
    expect(prompt).toBeDefined();
    const holds: boolean[] = [];
    const post = prompt!.worker.postMessage.bind(prompt!.worker);
    prompt!.worker.postMessage = (msg: ToWorker, transfer?: readonly ArrayBuffer[]) => {
      if (msg.type === 'warm-up') holds.push(msg.hold);
      post(msg, transfer);
    };
    // Back to back on the niced worker: the prompt worker takes none before its warm-up has run through.
    for (let i = 0; i < 20; i++) await pool.run(SHORT, () => {});
    expect(holds).toEqual([true]);
    for (let waited = 0; waited < 5_000 && holds.length < 2; waited += 20) await sleep(20);
    expect(holds).toEqual([true, false]);
    await pool.stop();
  });
});
