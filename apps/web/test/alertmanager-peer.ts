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
  /** Which Alertmanager answers the API, and whether it serves the UI itself or a front server does. */
  kind: 'pyrometer' | 'pyrometer behind a UI front' | 'upstream behind a UI front';
  stop(): Promise<void>;
}

const ours = join(repoRoot(), 'apps/alertmanager/dist/main.js');
const upstream = peer('prometheus-alertmanager', 'prometheus-alertmanager');

/** Why no Alertmanager can be started here (for skipIf), or undefined. */
export const alertmanagerSkipReason: string | undefined = existsSync(ours) ? undefined : upstream.missingReason;

/**
 * Ours (`apps/alertmanager`, once built), serving the UI itself when it mounts `withUi`; until it
 * exists, Debian's Alertmanager. An Alertmanager that does not serve the UI gets a small front
 * server that serves it with `withUi` and passes everything else through — the UI is then a
 * client of that Alertmanager's API v2.
 */
export async function startAlertmanager(): Promise<AlertmanagerUnderTest> {
  const dir = tempDir();
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, CONFIG);
  const port = await freePort();
  const args = [`--config.file=${configFile}`, `--storage.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='];
  const direct = `http://127.0.0.1:${port}`;
  const am: RunningProcess = existsSync(ours)
    ? await startProcess(process.execPath, [ours, ...args], { readyUrl: `${direct}/-/ready` })
    : await startProcess(upstream.path!, args, { readyUrl: `${direct}/-/ready` });
  if (existsSync(ours) && (await (await fetch(`${direct}/alerts`)).text()).includes('content="alertmanager"')) return { url: direct, kind: 'pyrometer', stop: () => am.stop() };
  const frontListener = withUi(
    (req, res) => {
      const forward = request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (err) => res.writeHead(502).end(err.message));
      req.pipe(forward);
    },
    { app: 'alertmanager', basePath: '', routePrefix: '' },
  );
  const front: Server = createServer((req, res) => void frontListener(req, res, { path: new URL(req.url ?? '/', 'http://x').pathname }));

  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    kind: existsSync(ours) ? 'pyrometer behind a UI front' : 'upstream behind a UI front',
    stop: async () => {
      await new Promise<void>((resolve) => {
        front.close(() => resolve());
        front.closeAllConnections();
      });
      await am.stop();
    },
  };
}
