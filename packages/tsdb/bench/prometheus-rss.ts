import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processRssBytes } from '@pyrometer/testkit/bench';
import { flinkSeries, scratch } from './util.js';

async function headSeries(port: number): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const m = /^prometheus_tsdb_head_series (\S+)$/m.exec(text);
    return m === null ? 0 : Number(m[1]);
  } catch {
    return 0;
  }
}

/**
 * Prometheus 2.42's RSS growth per active series: it scrapes a synthetic target that first serves
 * nothing (idle RSS is read then) and then `n` Flink-shaped series; after `scrapes` scrapes of all of
 * them the RSS growth is divided by n. Returns KiB per series, or undefined if it did not get there
 * within the time limit.
 */
export async function prometheusRssPerSeries(prometheus: string, port: number, n: number, scrapes = 3): Promise<number | undefined> {
  const { dir, done } = scratch();
  let body = '';
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, `global:\n  scrape_interval: 5s\n  scrape_timeout: 5s\nscrape_configs:\n  - job_name: flink\n    static_configs:\n      - targets: ['${target}']\n`);
  const child = spawn(prometheus, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  try {
    await sleep(8_000);
    const idle = processRssBytes(child.pid!);
    body = flinkSeries(n)
      .map((l, i) => `${l.metricName}{${l.toString().slice(1, -1).replace(/^__name__="[^"]*", /, '').replace(/, /g, ',')}} ${i}\n`)
      .join('');
    const deadline = Date.now() + 180_000;
    while ((await headSeries(port)) < n) {
      if (Date.now() > deadline) return undefined;
      await sleep(1_000);
    }
    await sleep(scrapes * 5_000);
    return (processRssBytes(child.pid!) - idle) / n / 1024;
  } finally {
    child.kill('SIGTERM');
    server.close();
    await sleep(1_000);
    done();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await prometheusRssPerSeries('/usr/bin/prometheus', 19394, Number(process.argv[2] ?? 100_000)));
