import { existsSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { freePort, peer, repoRoot, startProcess, tempDir, type RunningProcess } from '@pyrometer/testkit';
import { withUi } from '../serve/index.js';

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

/** An Alertmanager serving our UI at its `/`, and what it is. */
export interface AlertmanagerUnderTest {
  url: string;
  /** "pyrometer" (apps/alertmanager) or "upstream" (Debian's, behind a server serving our UI). */
  kind: 'pyrometer' | 'upstream';
  stop(): Promise<void>;
}

const ours = join(repoRoot(), 'apps/alertmanager/dist/main.js');
const upstream = peer('prometheus-alertmanager', 'prometheus-alertmanager');

/** Why no Alertmanager can be started here (for skipIf), or undefined. */
export const alertmanagerSkipReason: string | undefined = existsSync(ours) ? undefined : upstream.missingReason;

/**
 * Ours (`apps/alertmanager`, once built) serving the UI itself; until it exists, Debian's
 * Alertmanager behind a small server that serves our UI with `withUi` and passes everything else
 * through — the UI is then a client of upstream's API v2, the contract our Alertmanager implements.
 */
export async function startAlertmanager(): Promise<AlertmanagerUnderTest> {
  const dir = tempDir();
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, CONFIG);
  const port = await freePort();
  const args = [`--config.file=${configFile}`, `--storage.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='];
  if (existsSync(ours)) {
    const am = await startProcess(process.execPath, [ours, ...args], { readyUrl: `http://127.0.0.1:${port}/-/ready` });
    return { url: `http://127.0.0.1:${port}`, kind: 'pyrometer', stop: () => am.stop() };
  }
  const am: RunningProcess = await startProcess(upstream.path!, args, { readyUrl: `http://127.0.0.1:${port}/-/ready` });
  const front: Server = createServer(
    withUi(
      (req, res) => {
        const forward = request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        forward.on('error', (err) => res.writeHead(502).end(err.message));
        req.pipe(forward);
      },
      { app: 'alertmanager', basePath: '', routePrefix: '' },
    ),
  );
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    kind: 'upstream',
    stop: async () => {
      await new Promise<void>((resolve) => {
        front.close(() => resolve());
        front.closeAllConnections();
      });
      await am.stop();
    },
  };
}
