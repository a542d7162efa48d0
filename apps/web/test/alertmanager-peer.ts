import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot, startProcess, tempDir, type RunningProcess } from '@pyrometer/testkit';

const CONFIG = `route:
  receiver: default
  group_by: [alertname, job_name]
  group_wait: 1s
  routes:
    - receiver: flink-team
      matchers: ['job_name=~".+"']
receivers:
  - name: default
  - name: flink-team
    webhook_configs:
      - url: http://127.0.0.1:9/alerts
        send_resolved: false
`;

/** Our Alertmanager (`apps/alertmanager`, built), serving the UI at its `/`. */
export interface AlertmanagerUnderTest {
  url: string;
  stop(): Promise<void>;
}

const ours = join(repoRoot(), 'apps/alertmanager/dist/main.js');

/** Why the Alertmanager cannot be started here (for skipIf), or undefined. */
export const alertmanagerSkipReason: string | undefined = existsSync(ours) ? undefined : `${ours} is not built (npm test builds it)`;

/** Starts our Alertmanager on a free port with its own storage and a config routing Flink alerts. */
export async function startAlertmanager(): Promise<AlertmanagerUnderTest> {
  const dir = tempDir();
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, CONFIG);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const am: RunningProcess = await startProcess(process.execPath, [ours, `--config.file=${configFile}`, `--storage.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`], { readyUrl: `${url}/-/ready` });
  return { url, stop: () => am.stop() };
}
