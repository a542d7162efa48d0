import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedSeries } from './workload.js';

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';

/** A running Debian Prometheus serving blocks made from the benchmark's samples. */
export interface PrometheusBaseline {
  readonly url: string;
  /** Server-side evaluation seconds (`stats.timings.evalTotalTime`) of a range query. */
  rangeQuerySeconds(query: string, start: number, end: number, step: number): Promise<number>;
  stop(): Promise<void>;
}

/** Why the baseline cannot run here, or undefined when both binaries are installed. */
export function baselineUnavailable(): string | undefined {
  if (!existsSync(PROMETHEUS) || !existsSync(PROMTOOL)) return 'Debian prometheus/promtool not installed';
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr !== null ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Escapes a label value for the text formats. */
function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Writes the samples as an OpenMetrics file (metric families contiguous), timestamps in seconds. */
async function writeOpenMetrics(path: string, series: readonly GeneratedSeries[], startMs: number, intervalMs: number, samples: number): Promise<void> {
  const byName = new Map<string, GeneratedSeries[]>();
  for (const s of series) {
    const name = s.labels.metricName;
    let list = byName.get(name);
    if (list === undefined) byName.set(name, (list = []));
    list.push(s);
  }
  const out = createWriteStream(path);
  const write = (chunk: string): Promise<void> => new Promise((resolve) => (out.write(chunk) ? resolve() : out.once('drain', resolve)));
  for (const [name, list] of byName) {
    for (const s of list) {
      const labels: string[] = [];
      s.labels.forEach((n, v) => {
        if (n !== '__name__') labels.push(`${n}="${esc(v)}"`);
      });
      const head = `${name}{${labels.join(',')}} `;
      let chunk = '';
      for (let i = 0; i < samples; i++) chunk += `${head}${s.value(i)} ${(startMs + i * intervalMs) / 1000}\n`;
      await write(chunk);
    }
  }
  await write('# EOF\n');
  await new Promise<void>((resolve) => out.end(resolve));
}

/**
 * Converts the samples into TSDB blocks with `promtool tsdb create-blocks-from openmetrics` and
 * starts Prometheus on them (a free port, unlimited retention). Bounded: gives up after 5 minutes.
 */
export async function startBaseline(series: readonly GeneratedSeries[], startMs: number, intervalMs: number, samples: number): Promise<PrometheusBaseline> {
  const dir = mkdtempSync(join(tmpdir(), 'pyrometer-promql-bench-'));
  const file = join(dir, 'samples.om.txt');
  const data = join(dir, 'data');
  await writeOpenMetrics(file, series, startMs, intervalMs, samples);
  const conv = spawnSync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, data], { encoding: 'utf8', timeout: 300_000 });
  rmSync(file, { force: true });
  if (conv.status !== 0) throw new Error(`promtool failed: ${conv.stderr || conv.error?.message}`);
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  await new Promise<void>((resolve) => createWriteStream(config).end('global: {}\n', resolve));
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [`--config.file=${config}`, `--storage.tsdb.path=${data}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${port}`, '--query.max-samples=500000000'],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('prometheus did not become ready');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async rangeQuerySeconds(query, start, end, step) {
      const params = new URLSearchParams({ query, start: String(start / 1000), end: String(end / 1000), step: String(step / 1000), stats: 'all' });
      const res = await fetch(`${url}/api/v1/query_range?${params.toString()}`);
      const body = (await res.json()) as { status: string; error?: string; data?: { stats?: { timings?: { evalTotalTime?: number } } } };
      if (body.status !== 'success') throw new Error(`prometheus: ${query}: ${body.error}`);
      return body.data?.stats?.timings?.evalTotalTime ?? NaN;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
