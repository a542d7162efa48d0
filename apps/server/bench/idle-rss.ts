import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processRssBytes } from '@pyrometer/testkit/bench';
import { memoryBreakdown } from './memory-breakdown.js';
import { launch, type ServerUnderTest } from './servers.js';

// The fixed part of a server's RSS: the same server, started the same way, with nothing to scrape,
// read as long after its start as the ingestion window read the loaded one (a Node server's query
// worker warms up and then gives memory back, so the moment matters). What ingestion adds per
// series is then the loaded RSS minus this, over the series.

/** RSS (bytes) of `server` with no targets, `afterMs` after it was started in `dataDir`; prints it with its breakdown. */
export async function idleRssBytes(server: ServerUnderTest, dir: string, dataDir: string, afterMs: number): Promise<number> {
  const config = join(dir, 'idle.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1s\n');
  const { child, base } = await launch(server, config, dataDir);
  try {
    await new Promise((resolve) => setTimeout(resolve, afterMs));
    const rss = processRssBytes(child.pid!);
    console.log(`${server.name} idle, ${(afterMs / 1000).toFixed(0)} s after start: RSS ${(rss / 2 ** 20).toFixed(0)} MiB; ${await memoryBreakdown(child.pid!, `${base}/metrics`)}`);
    return rss;
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
}
