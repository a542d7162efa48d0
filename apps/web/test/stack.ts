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

/**
 * Starts `node scripts/stack.mjs` (the built apps, exactly as `npm start` after its build) with a
 * 1 s push/scrape interval, and waits until the server has the simulated cluster's data.
 */
export async function startStack(): Promise<Stack> {
  const root = repoRoot();
  const [serverPort, pushgatewayPort, nodePort, simulatorPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const server = `http://127.0.0.1:${serverPort}`;
  const simulator = `http://127.0.0.1:${simulatorPort}`;
  const process_ = await startProcess(process.execPath, [join(root, 'scripts/stack.mjs')], {
    env: { ...process.env, PYROMETER_DATA_DIR: tempDir(), PYROMETER_INTERVAL: '1s', PYROMETER_SERVER_PORT: String(serverPort), PYROMETER_PUSHGATEWAY_PORT: String(pushgatewayPort), PYROMETER_NODE_EXPORTER_PORT: String(nodePort), PYROMETER_FLINK_SIMULATOR_PORT: String(simulatorPort) },
    readyUrl: `${simulator}/status`,
    readyTimeoutMs: 90_000,
  });
  const waitForQuery = async (expr: string, timeoutMs = 40_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const body = (await (await fetch(`${server}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as { data?: { result?: unknown[] } };
      if ((body.data?.result?.length ?? 0) > 0) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`timed out waiting for ${expr}\n${process_.output().split('\n').slice(-30).join('\n')}`);
  };
  await waitForQuery('sum(flink_jobmanager_numRunningJobs)');
  return { process: process_, server, pushgateway: `http://127.0.0.1:${pushgatewayPort}`, simulator, waitForQuery, stop: () => process_.stop() };
}
