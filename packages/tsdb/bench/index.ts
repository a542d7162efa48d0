// `pnpm bench tsdb`: the TSDB's figures beside Prometheus 2.42 where it can run the same work.
// Sizes are bounded so the whole run takes about ten minutes on the shared 2-core machine, most
// of it the 1M-series WAL replay (ours, then Prometheus's of the same directory).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, peer } from '@pyrometer/testkit/bench';
import { benchAppend } from './append.js';
import { benchCompression } from './compression.js';
import { runFormatBench } from './format.js';
import { prometheusRssPerSeries } from './prometheus-rss.js';
import { benchReplay } from './replay.js';
import { benchSelect } from './select.js';

const prometheus = peer('prometheus', 'prometheus').path;
const promtool = peer('promtool', 'prometheus').path;

await runFormatBench();
await benchAppend();
await benchCompression(promtool);
await benchSelect();

const memoryScript = fileURLToPath(new URL('./memory.ts', import.meta.url));
const rss100k = prometheus === undefined ? undefined : await prometheusRssPerSeries(prometheus, await freePort(), 100_000);
for (const n of [100_000, 1_000_000]) {
  // 1M series are not scraped into Prometheus here: a 250 MB exposition body every few seconds
  // does not fit a bounded run on two shared cores, so the 1M row has no baseline.
  const baseline = n === 100_000 && rss100k !== undefined ? ['prometheus 2.42 (scrape)', String(rss100k)] : [];
  const r = spawnSync(process.execPath, [...process.execArgv, memoryScript, String(n), ...baseline], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) console.error(`head memory bench for ${n} series failed (exit ${r.status ?? r.signal})`);
}

for (const n of [100_000, 1_000_000]) await benchReplay(prometheus, await freePort(), n);
