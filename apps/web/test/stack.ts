import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, repoRoot, startProcess, tempDir, type RunningProcess } from '@pyrometer/testkit';

/** The local stack as `npm start` runs it, on free ports, and its URLs. */
export interface Stack {
  process: RunningProcess;
  server: string;
  pushgateway: string;
  simulator: string;
  /** Polls an instant query until it returns a series (or throws after `timeoutMs`). */
  waitForQuery(expr: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const LOCK = join(tmpdir(), 'pyrometer-ui-stack.lock');

/**
 * One stack at a time across the browser test files (vitest runs files in parallel): a lock
 * folder holding the owner's pid, taken over when that process is gone.
 */
async function acquireStackLock(): Promise<() => void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch {
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
      } catch {
        // being created or removed right now
      }
      if (Number.isInteger(owner) && !alive(owner)) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `node scripts/stack.mjs` (the built apps, exactly as `npm start` after its build) with a
 * 1 s push/scrape interval, and waits until the server has the simulated cluster's data.
 */
export async function startStack(): Promise<Stack> {
  const release = await acquireStackLock();
  try {
    return await startLockedStack(release);
  } catch (err) {
    release();
    throw err;
  }
}

async function startLockedStack(release: () => void): Promise<Stack> {
  const root = repoRoot();
  // Every service on a free port: the Alertmanager's and webhook receiver's defaults (9093, 5001)
  // may be taken by another stack on the machine.
  const [serverPort, pushgatewayPort, nodePort, simulatorPort, alertmanagerPort, receiverPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  const server = `http://127.0.0.1:${serverPort}`;
  const simulator = `http://127.0.0.1:${simulatorPort}`;
  const pushgateway = `http://127.0.0.1:${pushgatewayPort}`;
  const process_ = await startProcess(process.execPath, [join(root, 'scripts/stack.mjs')], {
    env: { ...process.env, PYROMETER_DATA_DIR: tempDir(), PYROMETER_INTERVAL: '1s', PYROMETER_SERVER_PORT: String(serverPort), PYROMETER_PUSHGATEWAY_PORT: String(pushgatewayPort), PYROMETER_NODE_EXPORTER_PORT: String(nodePort), PYROMETER_FLINK_SIMULATOR_PORT: String(simulatorPort), PYROMETER_ALERTMANAGER_PORT: String(alertmanagerPort), PYROMETER_WEBHOOK_RECEIVER_PORT: String(receiverPort) },
    readyUrl: `${simulator}/status`,
    readyTimeoutMs: 90_000,
    // The stack stops its services itself, one after another (each in its own process group):
    // killing it early would leave them running.
    stopTimeoutMs: 45_000,
  });
  const waitForQuery = async (expr: string, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const body = (await (await fetch(`${server}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as { data?: { result?: unknown[] } };
      if ((body.data?.result?.length ?? 0) > 0) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`timed out waiting for ${expr}\n${await stackDiagnosis(server, pushgateway)}\n${process_.output().split('\n').slice(-30).join('\n')}`);
  };
  const stop = async () => {
    await process_.stop();
    release();
  };
  try {
    await waitForQuery('sum(flink_jobmanager_numRunningJobs)');
  } catch (err) {
    await process_.stop();
    throw err;
  }
  return { process: process_, server, pushgateway, simulator, waitForQuery, stop };
}

/**
 * What a timed-out wait needs to be understood: each scrape target's health, last error and
 * duration, how many Flink series the server has, and whether the Pushgateway holds the JobManager's push.
 */
async function stackDiagnosis(server: string, pushgateway: string): Promise<string> {
  const read = async (what: string, url: string, pick: (text: string) => unknown) => {
    try {
      return `${what}: ${JSON.stringify(pick(await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).text()))}`;
    } catch (err) {
      return `${what}: unreadable (${err instanceof Error ? err.message : String(err)})`;
    }
  };
  type Targets = { data: { activeTargets: { labels: Record<string, string>; health: string; lastError: string; lastScrapeDuration: number }[] } };
  return (
    await Promise.all([
      read('scrape targets', `${server}/api/v1/targets`, (t) => (JSON.parse(t) as Targets).data.activeTargets.map((a) => ({ job: a.labels['job'], health: a.health, lastError: a.lastError, lastScrapeDuration: a.lastScrapeDuration }))),
      read('flink series by job', `${server}/api/v1/query?query=${encodeURIComponent('count by (job) ({__name__=~"flink_.+"})')}`, (t) => (JSON.parse(t) as { data: unknown }).data),
      read('pushgateway scrape report', `${server}/api/v1/query?query=${encodeURIComponent('{__name__=~"scrape_.+|up",job="pushgateway"}')}`, (t) => (JSON.parse(t) as { data: { result: { metric: Record<string, string>; value: unknown }[] } }).data.result.map((r) => [r.metric['__name__'], r.value])),
      read('server ingestion', `${server}/metrics`, (t) => t.split('\n').filter((l) => /^prometheus_(tsdb_head_(series|samples_appended_total)|target_scrapes_sample_|tsdb_out_of)/.test(l))),
      read('series scraped from the pushgateway', `${server}/api/v1/query?query=${encodeURIComponent('group by (__name__, job) ({instance=~".+:' + new URL(pushgateway).port + '"})')}`, (t) => (JSON.parse(t) as { data: { result: { metric: Record<string, string> }[] } }).data.result.map((r) => `${r.metric['__name__']}/${r.metric['job']}`)),
      read('pushgateway body as scraped', `${pushgateway}/metrics`, (t) => `${t.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length} sample lines`),
      read('pushgateway numRunningJobs lines', `${pushgateway}/metrics`, (t) => t.split('\n').filter((l) => l.startsWith('flink_jobmanager_numRunningJobs'))),
    ])
  ).join('\n');
}
