import { MetricsRegistry, silentLogger } from '@pyrometer/telemetry';
import type { Tsdb } from '@pyrometer/tsdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Slot } from './pool-tasks.js';
import type { FromWorker, HttpTask, Task, ToWorker } from './protocol.js';
import type { TaskMessage } from './query-pool-options.js';
import { QueryPool } from './query-pool.js';
import { openUpTsdb } from './test-tsdb.js';
import { TEST_WORKER_CONFIG } from './test-worker-config.js';

let tsdb: Tsdb;

beforeAll(async () => {
  tsdb = await openUpTsdb();
});
afterAll(() => tsdb.close());

/** A query_range of `query` over 9,000 s at `step` seconds, as the HTTP route hands it to a worker. */
function rangeTask(step: number, query = 'vector(time())'): HttpTask {
  return { kind: 'http', route: 'query_range', search: `query=${encodeURIComponent(query)}&start=0&end=9000&step=${step}`, body: undefined, params: {}, now: 0, deadline: Date.now() + 60_000, externalLabels: {}, gzip: false };
}

/** Two series of 9,001 points at a step of 1 s (~360 KB of JSON): an answer streamed in pieces. */
const STREAMED = rangeTask(1, 'vector(time() + 1e9) or label_replace(vector(time() + 1e9), "copy", "1", "", "")');

/** A pool of one worker, started; every message that worker posts from then on (its type, and whether it carried `done`), and the types of those it is sent. */
async function watchedPool(): Promise<{ pool: QueryPool; registry: MetricsRegistry; posted: string[]; sent: string[] }> {
  const registry = new MetricsRegistry();
  const pool = new QueryPool({ size: 1, config: TEST_WORKER_CONFIG, storage: tsdb, logger: silentLogger(), registry });
  await pool.run({ kind: 'instant', query: '1', time: 0 }, () => {});
  const [slot] = [...(pool as unknown as { slots: Set<Slot> }).slots];
  const posted: string[] = [];
  slot!.worker.on('message', (msg: FromWorker) => {
    const done = 'done' in msg && msg.done !== undefined ? ` done cpuMs=${typeof msg.done.cpuMs}` : '';
    posted.push(`${msg.type}${msg.type === 'head' ? ` complete=${msg.head.complete}` : msg.type === 'chunk' ? ` last=${msg.last}` : ''}${done}`);
  });
  const sent: string[] = [];
  const post = slot!.worker.postMessage.bind(slot!.worker);
  slot!.worker.postMessage = (msg: ToWorker, transfer?: readonly ArrayBuffer[]) => {
    sent.push(msg.type);
    post(msg, transfer);
  };
  return { pool, registry, posted, sent };
}

describe('QueryPool: a task settles on its last answer', () => {
  it.each([
    { answer: 'a value', task: { kind: 'instant', query: 'count(up)', time: 2000 } as Task, posted: ['storage', 'value done cpuMs=number'] },
    { answer: 'a whole HTTP answer', task: rangeTask(300), posted: ['head complete=true done cpuMs=number'] },
    { answer: 'a rule batch', task: { kind: 'instant-batch', queries: ['count(up)', 'count('], time: 2000 } as Task, posted: ['storage', 'values done cpuMs=number'] },
  ])('$answer: one message carries the answer and the task\'s `done`', async ({ task, posted: expected }) => {
    const { pool, posted } = await watchedPool();
    let answers = 0;
    await pool.run(task, () => void answers++);
    expect(answers).toBe(1);
    expect(posted).toEqual(expected);
    await pool.stop();
  });

  it('a streamed answer: every piece is handed over in order before the task resolves, the last one carrying `done`; no credit is owed for it', async () => {
    const { pool, posted, sent } = await watchedPool();
    const handed: string[] = [];
    let bytes = 0;
    await pool.run(STREAMED, async (msg: TaskMessage) => {
      if (msg.type !== 'head' && msg.type !== 'chunk') return;
      // A slow socket: each piece is written a moment later.
      await new Promise((resolve) => setTimeout(resolve, 5));
      bytes += msg.body.byteLength;
      handed.push(msg.type === 'chunk' && msg.last ? 'last' : msg.type);
    });
    expect(handed[0]).toBe('head');
    expect(handed.at(-1)).toBe('last');
    expect(bytes).toBeGreaterThan(300_000);
    expect(posted.filter((p) => p.includes('done'))).toEqual(['chunk last=true done cpuMs=number']);
    expect(posted.at(-1)).toBe('chunk last=true done cpuMs=number');
    expect(sent.filter((type) => type === 'credit')).toHaveLength(handed.length - 1);
    // The worker still answers the next task (the pool did not wait for a `done` of its own).
    let value = 0;
    await pool.run({ kind: 'instant', query: '2', time: 0 }, (msg) => void (value = msg.type === 'value' ? 1 : 0));
    expect(value).toBe(1);
    await pool.stop();
  });

  it('a failure: the task rejects on the `failed` message, which carries `done`', async () => {
    const { pool, posted } = await watchedPool();
    await expect(pool.run({ kind: 'instant', query: 'count(', time: 0 }, () => {})).rejects.toMatchObject({ type: 'bad_data' });
    expect(posted).toEqual(['failed done cpuMs=number']);
    await pool.stop();
  });

  it('a listener that fails on the last answer fails the task (it settles once the answer is handed over)', async () => {
    const { pool } = await watchedPool();
    const run = pool.run({ kind: 'instant', query: '1', time: 0 }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('socket gone');
    });
    await expect(run).rejects.toMatchObject({ type: 'internal', message: 'writing the answer failed: socket gone' });
    await pool.stop();
  });

  it('canceled while its last piece is being written: rejects as canceled, keeps its worker, and the next task runs there', async () => {
    const { pool, registry, posted } = await watchedPool();
    const abort = new AbortController();
    const run = pool.run(STREAMED, async (msg: TaskMessage) => {
      if (msg.type === 'chunk' && msg.last) {
        abort.abort();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }, { signal: abort.signal });
    await expect(run).rejects.toMatchObject({ type: 'canceled' });
    let value = 0;
    await pool.run({ kind: 'instant', query: '2', time: 0 }, (msg) => void (value = msg.type === 'value' ? 1 : 0));
    expect(value).toBe(1);
    expect(posted.filter((p) => p.includes('done'))).toEqual(['chunk last=true done cpuMs=number', 'value done cpuMs=number']);
    const restarts = registry.collect().find((f) => f.name === 'pyrometer_query_worker_restarts_total')?.metrics[0]?.value;
    expect(restarts).toBe(0);
    await pool.stop();
  });
});
