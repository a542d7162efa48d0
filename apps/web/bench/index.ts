// UI budgets (apps/web/README.md): the initial JS of the server UI's query page, gzip, ≤ 400 KB,
// beside what Debian's Prometheus 2.42 loads for its graph page; and a graph of 100 series ×
// 1,000 points drawn ≤ 100 ms in Chromium. Needs the build (`pnpm bench` builds first) and
// Debian's chromium; the API answers come from a stub here, so only the UI is measured.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { freePort, peer, reportBench, waitForHttp } from '@pyrometer/testkit/bench';
import { chromium, type Browser } from 'playwright-core';
import { createUiHandler } from '../serve/index.js';

const SERIES = 100;
const POINTS = 1000;
const RUNS = 7;

/** `/api/v1/query_range` answering SERIES series of POINTS points on the requested grid; other API calls answer empty. */
function stubServer(): Promise<{ url: string; close: () => void }> {
  const ui = createUiHandler({ app: 'prometheus', basePath: '' });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/v1/query_range') {
      const start = Number(url.searchParams.get('start'));
      const step = Number(url.searchParams.get('step'));
      const result = Array.from({ length: SERIES }, (_, s) => ({
        metric: { __name__: 'bench_metric', series: String(s), job: 'bench' },
        values: Array.from({ length: POINTS }, (_, i) => [start + i * step, String(Math.sin(i / 50 + s) * 100 + s * 3)]),
      }));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }));
    } else if (url.pathname.startsWith('/api/v1/')) res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"success","data":[]}');
    else if (ui.handles(url.pathname)) ui.serve(req, res, url.pathname);
    else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() })));
}

/** Gzip bytes of every script a page loads until the network is idle (what a first visit downloads). */
async function initialJsGzipBytes(browser: Browser, url: string): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const scripts = new Map<string, Promise<Buffer>>();
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') scripts.set(r.url(), r.body());
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  let total = 0;
  for (const body of scripts.values()) total += gzipSync(await body).length;
  await page.close();
  return total;
}

async function chartDrawMs(browser: Browser, base: string): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await page.goto(`${base}/query?g0.expr=bench_metric&g0.tab=graph&g0.range_input=999s&g0.step_input=1`);
    await page.locator('[data-testid=chart] canvas').waitFor();
    await page.waitForFunction(() => performance.getEntriesByName('pyrometer:chart-draw').length > 0);
    const legend = await page.locator('.legend li').count();
    if (legend !== SERIES) throw new Error(`expected ${SERIES} series in the legend, got ${legend}`);
    times.push(await page.evaluate(() => performance.getEntriesByName('pyrometer:chart-draw')[0]!.duration));
  }
  await page.close();
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

/** Debian's Prometheus 2.42 serves its classic UI; its graph page's scripts, for comparison. */
async function upstreamInitialJs(browser: Browser): Promise<number | undefined> {
  const prometheus = peer('prometheus', 'prometheus');
  if (prometheus.path === undefined) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'pyrometer-bench-prom-'));
  const port = await freePort();
  const proc = spawn(prometheus.path, ['--config.file=/dev/null', `--storage.tsdb.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/-/ready`);
    return await initialJsGzipBytes(browser, `http://127.0.0.1:${port}/graph`);
  } finally {
    proc.kill('SIGTERM');
    await new Promise((resolve) => proc.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

const chromiumPeer = peer('chromium', 'chromium');
if (chromiumPeer.path === undefined || !existsSync(join(import.meta.dirname, '..', 'dist', 'ui', 'index.html'))) {
  console.log(`skipped: ${chromiumPeer.missingReason ?? 'the UI is not built (npx pnpm --filter @pyrometer/web build)'}`);
} else {
  const stub = await stubServer();
  const browser = await chromium.launch({ executablePath: chromiumPeer.path, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const ours = await initialJsGzipBytes(browser, `${stub.url}/query`);
    const upstream = await upstreamInitialJs(browser);
    reportBench({
      suite: 'web',
      case: 'initial JS of the query page (gzip; budget 400 KB)',
      unit: 'KB',
      ours: ours / 1000,
      ...(upstream !== undefined ? { baseline: { name: 'prometheus 2.42 classic /graph', value: upstream / 1000 } } : {}),
      higherIsBetter: false,
      note: 'Prometheus 3.x ships a different UI; Debian 2.42 serves the classic one',
    });
    reportBench({ suite: 'web', case: `graph of ${SERIES} series × ${POINTS} points drawn in Chromium (budget 100 ms)`, unit: 'ms', ours: await chartDrawMs(browser, stub.url), higherIsBetter: false, note: `median of ${RUNS}` });
  } finally {
    await browser.close();
    stub.close();
  }
}
