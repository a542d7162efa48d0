// The services `npm start` runs, in start order (the stack stops them in reverse order, so the
// Flink simulator's DELETEs reach the Pushgateway before it stops, and the server's last alerts
// reach the Alertmanager and its notifications the receiver): the topology of
// docker-compose.yml on 127.0.0.1. To add a service, add one entry here.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeLocalAlertmanagerConfig, writeLocalServerConfig } from './stack-configs.mjs';

/**
 * What the stack knows about each service when it starts it.
 * @typedef {object} StackContext
 * @property {string} root the repository root
 * @property {string} dataDir every service's data lives in `<dataDir>/<name>`
 * @property {Record<string, number>} ports every service's port, by name
 * @property {string | undefined} interval PYROMETER_INTERVAL, e.g. "2s"
 * @property {number} speedup PYROMETER_ALERT_SPEEDUP: the alerting waits are divided by it (1: as written)
 */

/**
 * One service of the local stack.
 * @typedef {object} Service
 * @property {string} name also its data folder and log prefix; its port variable is PYROMETER_<NAME>_PORT
 * @property {number} defaultPort the upstream default
 * @property {string} entry the built file or binary the service needs; the service is skipped without it
 * @property {string} [missing] why it is skipped when `entry` is absent (default: not built)
 * @property {string} command
 * @property {(ctx: StackContext) => string[]} args
 * @property {(ctx: StackContext) => Record<string, string>} [env] variables set for the service on top
 *   of the stack's own, read when it starts
 * @property {string} readyPath answers 2xx on 127.0.0.1:<port> once the service is ready
 * @property {string} showPath printed after the start, for the user
 * @property {(ctx: StackContext) => import('./stack-configs.mjs').Alias[]} [prepare] writes
 *   configs generated from files the user edits; lines of the service's output naming a
 *   generated path name its source instead (generation keeps line numbers)
 */

const nodeExporter = ['/usr/bin/prometheus-node-exporter', '/usr/bin/node_exporter'].find((p) => existsSync(p));

/**
 * @param {string} root
 * @returns {Service[]}
 */
export function localServices(root) {
  const app = (/** @type {string} */ name) => join(root, 'apps', name, 'dist', 'main.js');
  return [
    {
      name: 'pushgateway',
      defaultPort: 9091,
      entry: app('pushgateway'),
      command: process.execPath,
      args: ({ dataDir, ports }) => [app('pushgateway'), `--web.listen-address=127.0.0.1:${ports['pushgateway']}`, `--persistence.file=${join(dataDir, 'pushgateway', 'groups.json')}`, '--push.group-ttl=1h'],
      readyPath: '/-/ready',
      showPath: '/',
    },
    {
      name: 'node_exporter',
      defaultPort: 9100,
      entry: nodeExporter ?? '/usr/bin/prometheus-node-exporter',
      missing: 'install Debian/Ubuntu package prometheus-node-exporter to include host metrics',
      command: nodeExporter ?? 'prometheus-node-exporter',
      // The systemd collector fails on every scrape where systemd is not PID 1 (containers, WSL).
      args: ({ ports }) => [`--web.listen-address=127.0.0.1:${ports['node_exporter']}`, '--no-collector.systemd'],
      readyPath: '/',
      showPath: '/metrics',
    },
    {
      name: 'webhook-receiver',
      defaultPort: 5001,
      entry: app('webhook-receiver'),
      command: process.execPath,
      args: ({ ports }) => [app('webhook-receiver'), `--web.listen-address=127.0.0.1:${ports['webhook-receiver']}`],
      readyPath: '/-/ready',
      showPath: '/',
    },
    {
      name: 'alertmanager',
      defaultPort: 9093,
      entry: app('alertmanager'),
      command: process.execPath,
      // --cluster.listen-address= turns gossip off, as for any single Alertmanager.
      args: ({ dataDir, ports }) => [app('alertmanager'), `--config.file=${join(dataDir, 'alertmanager', 'alertmanager.yml')}`, `--storage.path=${join(dataDir, 'alertmanager')}`, `--web.listen-address=127.0.0.1:${ports['alertmanager']}`, `--web.external-url=http://127.0.0.1:${ports['alertmanager']}/`, '--cluster.listen-address='],
      readyPath: '/-/ready',
      showPath: '/',
      prepare: (ctx) => writeLocalAlertmanagerConfig(ctx),
    },
    {
      name: 'server',
      defaultPort: 9090,
      entry: app('server'),
      command: process.execPath,
      env: ({ root: r }) => serverLaunchEnv(r),
      args: ({ dataDir, ports }) => [app('server'), `--config.file=${join(dataDir, 'server', 'prometheus.yml')}`, `--storage.tsdb.path=${join(dataDir, 'server', 'tsdb')}`, `--web.listen-address=127.0.0.1:${ports['server']}`, `--web.external-url=http://127.0.0.1:${ports['server']}/`, '--web.enable-lifecycle'],
      readyPath: '/-/ready',
      showPath: '/',
      prepare: (ctx) => writeLocalServerConfig(ctx),
    },
    {
      name: 'flink-simulator',
      defaultPort: 9095,
      entry: app('flink-simulator'),
      command: process.execPath,
      args: ({ root: r, ports, interval }) => [
        app('flink-simulator'),
        `--flink-conf=${join(r, 'deploy', 'flink', 'flink-conf.yaml')}`,
        `--hostUrl=http://127.0.0.1:${ports['pushgateway']}`,
        '--jobs=3',
        '--parallelism=2',
        '--taskmanagers=2',
        '--slots=3',
        `--control.listen-address=127.0.0.1:${ports['flink-simulator']}`,
        ...(interval === undefined ? [] : [`--interval=${interval}`]),
      ],
      readyPath: '/status',
      showPath: '/status',
    },
  ];
}

/**
 * The environment the server is started with wherever it runs (this stack, its Docker image, the
 * benchmarks): apps/server/launch-env.json, whose reasons are in apps/server/README.md. NODE_OPTIONS
 * the caller already has are kept, after the launch environment's, so a flag the caller sets wins
 * (Node and V8 take the last of a repeated flag).
 * @param {string} root
 * @param {NodeJS.ProcessEnv} [inherited] the caller's environment
 * @returns {Record<string, string>}
 */
export function serverLaunchEnv(root, inherited = process.env) {
  /** @type {Record<string, string>} */
  const launch = JSON.parse(readFileSync(join(root, 'apps', 'server', 'launch-env.json'), 'utf8'));
  const callers = inherited['NODE_OPTIONS'];
  if (launch['NODE_OPTIONS'] !== undefined && callers) launch['NODE_OPTIONS'] = `${launch['NODE_OPTIONS']} ${callers}`;
  return launch;
}
