// The services `npm start` runs, in start order: the same topology as docker-compose.yml, on
// 127.0.0.1. Each names the built file or binary it needs (`entry`), its command line, the URL
// that answers when it is ready, and an optional `prepare` step that writes its config.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** @param {{ root: string, dataDir: string, port: (service: string, fallback: number) => number }} ctx */
export function localServices({ root, dataDir, port }) {
  const ports = { server: port('server', 9090), pushgateway: port('pushgateway', 9091), node: port('node_exporter', 9100), simulator: port('simulator', 9095) };
  const serverConfig = join(dataDir, 'server', 'prometheus.yml');
  const nodeExporter = ['/usr/bin/prometheus-node-exporter', '/usr/bin/node_exporter'].find((p) => existsSync(p));
  // PYROMETER_INTERVAL (e.g. "2s") shortens the push and scrape interval for demos and tests.
  const interval = process.env.PYROMETER_INTERVAL;
  return [
    {
      name: 'pushgateway',
      entry: `${root}/apps/pushgateway/dist/main.js`,
      command: process.execPath,
      args: [`${root}/apps/pushgateway/dist/main.js`, `--web.listen-address=127.0.0.1:${ports.pushgateway}`, `--persistence.file=${dataDir}/pushgateway/groups.json`, '--push.group-ttl=1h'],
      url: `http://127.0.0.1:${ports.pushgateway}/`,
      ready: `http://127.0.0.1:${ports.pushgateway}/-/ready`,
    },
    {
      name: 'node_exporter',
      entry: nodeExporter ?? '/usr/bin/prometheus-node-exporter',
      missing: 'install Debian/Ubuntu package prometheus-node-exporter to include host metrics',
      command: nodeExporter,
      args: [`--web.listen-address=127.0.0.1:${ports.node}`],
      url: `http://127.0.0.1:${ports.node}/metrics`,
      ready: `http://127.0.0.1:${ports.node}/`,
    },
    {
      name: 'server',
      entry: `${root}/apps/server/dist/main.js`,
      command: process.execPath,
      args: [`${root}/apps/server/dist/main.js`, `--config.file=${serverConfig}`, `--storage.tsdb.path=${dataDir}/server/tsdb`, `--web.listen-address=127.0.0.1:${ports.server}`, '--web.enable-lifecycle'],
      url: `http://127.0.0.1:${ports.server}/`,
      ready: `http://127.0.0.1:${ports.server}/-/ready`,
      prepare: () => writeLocalServerConfig(root, serverConfig, ports, interval),
    },
    {
      name: 'flink-simulator',
      entry: `${root}/apps/flink-simulator/dist/main.js`,
      command: process.execPath,
      args: [`${root}/apps/flink-simulator/dist/main.js`, `--flink-conf=${root}/deploy/flink/flink-conf.yaml`, `--hostUrl=http://127.0.0.1:${ports.pushgateway}`, '--jobs=3', '--parallelism=2', '--taskmanagers=2', '--slots=3', `--control.listen-address=127.0.0.1:${ports.simulator}`, ...(interval ? [`--interval=${interval}`] : [])],
      url: `http://127.0.0.1:${ports.simulator}/status`,
      ready: `http://127.0.0.1:${ports.simulator}/status`,
    },
  ];
}

/** deploy/local/prometheus.yml with the effective ports, interval and an absolute rules path. */
function writeLocalServerConfig(root, file, ports, interval) {
  let text = readFileSync(join(root, 'deploy/local/prometheus.yml'), 'utf8')
    .replace("'127.0.0.1:9090'", `'127.0.0.1:${ports.server}'`)
    .replace("'127.0.0.1:9091'", `'127.0.0.1:${ports.pushgateway}'`)
    .replace("'127.0.0.1:9100'", `'127.0.0.1:${ports.node}'`)
    .replace('../rules/*.yml', join(root, 'deploy/rules/*.yml'));
  if (interval) text = text.replace(/^( {2}(?:scrape_interval|scrape_timeout|evaluation_interval)): 10s$/gm, `$1: ${interval}`);
  writeFileSync(file, text);
}
