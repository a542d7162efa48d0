// The services `npm start` runs, in start order (the stack stops them in reverse order, so the
// Flink simulator's DELETEs reach the Pushgateway before it stops): the topology of
// docker-compose.yml on 127.0.0.1. To add a service, add one entry here.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the stack knows about each service when it starts it.
 * @typedef {object} StackContext
 * @property {string} root the repository root
 * @property {string} dataDir every service's data lives in `<dataDir>/<name>`
 * @property {Record<string, number>} ports every service's port, by name
 * @property {string | undefined} interval PYROMETER_INTERVAL, e.g. "2s"
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
 * @property {string} readyPath answers 2xx on 127.0.0.1:<port> once the service is ready
 * @property {string} showPath printed after the start, for the user
 * @property {(ctx: StackContext) => { generated: string, source: string }} [prepare] writes a
 *   config generated from a file the user edits; lines of the service's output naming the
 *   generated file name the source instead (generation keeps line numbers)
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
      name: 'server',
      defaultPort: 9090,
      entry: app('server'),
      command: process.execPath,
      args: ({ dataDir, ports }) => [app('server'), `--config.file=${join(dataDir, 'server', 'prometheus.yml')}`, `--storage.tsdb.path=${join(dataDir, 'server', 'tsdb')}`, `--web.listen-address=127.0.0.1:${ports['server']}`, '--web.enable-lifecycle'],
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
 * Writes deploy/local/prometheus.yml with the effective ports, interval and an absolute rules
 * path into the server's data folder. Every replacement stays on its line, so an error at
 * line N of the copy is at line N of the source.
 * @param {StackContext} ctx
 */
function writeLocalServerConfig({ root, dataDir, ports, interval }) {
  const source = join(root, 'deploy', 'local', 'prometheus.yml');
  const generated = join(dataDir, 'server', 'prometheus.yml');
  let text = readFileSync(source, 'utf8')
    .replace("'127.0.0.1:9090'", `'127.0.0.1:${ports['server']}'`)
    .replace("'127.0.0.1:9091'", `'127.0.0.1:${ports['pushgateway']}'`)
    .replace("'127.0.0.1:9100'", `'127.0.0.1:${ports['node_exporter']}'`)
    .replace('../rules/*.rules.yml', join(root, 'deploy', 'rules', '*.rules.yml'));
  if (interval !== undefined) text = text.replace(/^( {2}(?:scrape_interval|scrape_timeout|evaluation_interval)): 10s$/gm, `$1: ${interval}`);
  writeFileSync(generated, text);
  return { generated, source };
}
