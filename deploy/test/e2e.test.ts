import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { peer, repoRoot } from '@pyrometer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardQueries, substituteVariables } from './dashboard-queries.js';
import { startLocalStack, type LocalStack } from './local-stack.js';

// Starts the stack exactly as `npm start` does after its build (node scripts/stack.mjs), with a
// 2 s push/scrape interval, and checks every dashboard query against the simulated Flink cluster.

const root = repoRoot();
const built = ['apps/server', 'apps/pushgateway', 'apps/flink-simulator'].every((app) => existsSync(join(root, app, 'dist/main.js')));
// `npm test` builds before it tests; run alone without a build, this test has nothing to start.
if (!built && process.env['CI'] === 'true') throw new Error('the apps are not built: run the build before the end-to-end test');
const nodeExporter = peer('prometheus-node-exporter', 'prometheus-node-exporter');
const dashboards = readdirSync(join(root, 'deploy/grafana/dashboards')).map((f) => join(root, 'deploy/grafana/dashboards', f));
const queries = dashboards.flatMap((file) => dashboardQueries(file).map((q) => ({ ...q, board: file.split('/').pop()!, expr: substituteVariables(q.expr) })));
/** Panels that are empty while the cluster is healthy, by design (they filter for trouble). */
const TROUBLE_ONLY = ['Back-pressured subtasks', 'Output pool usage > 50%', 'Input pool usage > 50%'];

type Vector = { status: string; data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };

describe.runIf(built)(`the local stack end to end (npm start, without Docker)${built ? '' : ' — skipped: apps not built'}`, () => {
  let stack: LocalStack;
  let server: string;
  let control: string;

  const query = async (expr: string): Promise<Vector> => (await (await fetch(`${server}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as Vector;
  const waitFor = async (expr: string, what: string, timeoutMs = 40_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const r = await query(expr);
      if (r.data.result.length > 0) return r.data.result;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`timed out waiting for ${what} (${expr})\n--- stack output ---\n${stack?.tail()}`);
  };

  beforeAll(async () => {
    stack = await startLocalStack({ PYROMETER_INTERVAL: '2s' });
    server = stack.urls['server']!;
    control = stack.urls['flink-simulator']!;
    await waitFor('sum(flink_jobmanager_numRunningJobs)', 'Flink data in the server');
    // Rates and deltas need a few samples in their windows.
    await new Promise((resolve) => setTimeout(resolve, 8_000));
  }, 200_000); // the stack's start (up to 2 minutes), the first data, the pause

  afterAll(async () => {
    await stack?.stop();
  }, 90_000);

  it('shows the simulated cluster: 3 running jobs, 2 TaskManagers, 6 slots', async () => {
    const value = async (expr: string) => Number((await query(expr)).data.result[0]?.value[1]);
    expect(await value('sum(flink_jobmanager_numRunningJobs)')).toBe(3);
    expect(await value('sum(flink_jobmanager_numRegisteredTaskManagers)')).toBe(2);
    expect(await value('sum(flink_jobmanager_taskSlotsTotal)')).toBe(6);
    expect(await value('count(flink_taskmanager_Status_JVM_CPU_Time)')).toBe(2);
  });

  it('evaluates the rules of deploy/rules: recorded series appear and every rule is healthy', async () => {
    const recorded = await waitFor('flink_job:records_in_per_second:sum', 'a recorded series of flink.rules.yml');
    expect(recorded.map((s) => s.metric['job_name']).length).toBe(3);
    const rules = (await (await fetch(`${server}/api/v1/rules`)).json()) as { data: { groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] } };
    expect(rules.data.groups.length).toBeGreaterThan(0);
    const unhealthy = rules.data.groups.flatMap((g) => g.rules.filter((r) => r.health === 'err').map((r) => `${g.name}/${r.name}: ${r.lastError}`));
    expect(unhealthy).toEqual([]);
  });

  it('answers every dashboard query with data (trouble-only panels stay empty while healthy)', async () => {
    const failures: string[] = [];
    for (const q of queries) {
      if (q.board === 'node-exporter-host.json' && nodeExporter.path === undefined) continue;
      const r = await query(q.expr);
      if (r.status !== 'success') failures.push(`${q.board} / ${q.panel}: ${JSON.stringify(r)}`);
      else if (TROUBLE_ONLY.includes(q.panel) ? r.data.result.length > 0 : r.data.result.length === 0) failures.push(`${q.board} / ${q.panel}: ${r.data.result.length} series for ${q.expr}`);
    }
    expect(failures).toEqual([]);
  });

  it('shows backpressure and then failed checkpoints after switching the scenario', async () => {
    expect((await fetch(`${control}/scenario/backpressure`, { method: 'POST' })).status).toBe(200);
    const pressured = await waitFor('count by (task_name) (flink_taskmanager_job_task_isBackPressured == 1)', 'back-pressured subtasks');
    expect(pressured.map((s) => s.metric['task_name']).sort()).toEqual(['KeyedProcess____Filter', 'Source:_Kafka____Timestamps_Watermarks____Map', 'Window_TumblingEventTimeWindows_60000______Map____Filter']);
    await waitFor('flink_taskmanager_job_task_Shuffle_Netty_Output_Buffers_outPoolUsage * 100 > 50', 'full output buffers');

    expect((await fetch(`${control}/scenario/checkpoint-failures`, { method: 'POST' })).status).toBe(200);
    const failed = await waitFor('delta(flink_jobmanager_job_numberOfFailedCheckpoints[10s]) > 0', 'failed checkpoints');
    expect(failed.length).toBe(3);
  }, 90_000);
});
