import { DEBIAN_PYTHON } from '@pyrometer/testkit';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pushedLines, send, startOurs } from './helpers.js';

const run = promisify(execFile);
const missing = existsSync(DEBIAN_PYTHON) ? undefined : `${DEBIAN_PYTHON} is missing (apt-get install python3-prometheus-client)`;

/** Runs a prometheus_client script against `gateway` (host:port); any HTTP error fails the script. */
async function python(gateway: string, body: string): Promise<void> {
  const script = [
    'from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary',
    'from prometheus_client import push_to_gateway, pushadd_to_gateway, delete_from_gateway',
    `gw = ${JSON.stringify(gateway)}`,
    'r = CollectorRegistry()',
    body,
  ].join('\n');
  await run(DEBIAN_PYTHON, ['-c', script], { timeout: 30_000 });
}

describe.skipIf(missing !== undefined)(`Python prometheus_client (Debian) ${missing ?? ''}`, () => {
  it('push_to_gateway, pushadd_to_gateway and delete_from_gateway work unchanged', async () => {
    const gw = await startOurs();
    const host = gw.url.replace('http://', '');
    await python(host, [
      "c = Counter('batch_records', 'Records processed.', ['stage'], registry=r)",
      "c.labels('load').inc(42)",
      "h = Histogram('batch_seconds', 'Duration.', buckets=(0.5, 1.0), registry=r)",
      'h.observe(0.7)',
      "push_to_gateway(gw, job='nightly', registry=r, grouping_key={'path': '/var/data', 'shard': ''})",
    ].join('\n'));
    let lines = pushedLines((await send(`${gw.url}/metrics`, 'GET')).text);
    expect(lines).toContain('batch_records_total{instance="",job="nightly",path="/var/data",shard="",stage="load"} 42');
    expect(lines).toContain('batch_seconds_bucket{instance="",job="nightly",path="/var/data",shard="",le="1"} 1');
    expect(lines.some((l) => l.startsWith('batch_records_created{'))).toBe(true);

    await python(host, [
      "g = Gauge('batch_last_success', 'Last success.', registry=r)",
      'g.set(1700000000)',
      "pushadd_to_gateway(gw, job='nightly', registry=r, grouping_key={'path': '/var/data', 'shard': ''})",
    ].join('\n'));
    lines = pushedLines((await send(`${gw.url}/metrics`, 'GET')).text);
    expect(lines).toContain('batch_last_success{instance="",job="nightly",path="/var/data",shard=""} 1.7e+09');
    expect(lines.some((l) => l.startsWith('batch_records_total{'))).toBe(true);

    await python(host, "delete_from_gateway(gw, job='nightly', grouping_key={'path': '/var/data', 'shard': ''})");
    expect(pushedLines((await send(`${gw.url}/metrics`, 'GET')).text)).toEqual([]);
  });

  it('surfaces our 400 as an HTTP error in the client', async () => {
    const gw = await startOurs();
    const host = gw.url.replace('http://', '');
    await python(host, "Gauge('y_total', 'y', registry=r).set(1)\npush_to_gateway(gw, job='a', registry=r)");
    await expect(python(host, "Counter('y', 'y', registry=r).inc()\npush_to_gateway(gw, job='b', registry=r)")).rejects.toThrow(/HTTP Error 400|400/);
  });
});
