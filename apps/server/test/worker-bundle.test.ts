import { once } from 'node:events';
import { copyFileSync, cpSync, existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { freePort, repoRoot, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { TEST_WORKER_CONFIG } from '../src/query/test-worker-config.js';
import { api } from './harness.js';

// The build's query workers run dist/query-worker.js, the bundle scripts/bundle-worker.mjs writes
// (worker-main and everything it imports in one file), never the ~250 modules tsc emits.

const dist = join(repoRoot(), 'apps/server/dist');
const bundle = join(dist, 'query-worker.js');
const built = existsSync(join(dist, 'main.js'));
// `npm test` builds before it tests; run alone without a build, there is nothing to run.
if (!built && process.env['CI'] === 'true') throw new Error(`${dist} is missing: run the build before the bundle test`);

describe.runIf(built)(`the bundled query worker${built ? '' : ' — skipped: apps/server is not built'}`, () => {
  it('is what the built server runs: queries answer with the unbundled worker entry deleted', async () => {
    const app = tempDir();
    cpSync(dist, join(app, 'dist'), { recursive: true });
    // main.js still imports the workspace packages; the worker must not need dist/query/worker-main.js.
    symlinkSync(join(repoRoot(), 'apps/server/node_modules'), join(app, 'node_modules'));
    rmSync(join(app, 'dist/query/worker-main.js'));
    const config = join(app, 'prometheus.yml');
    writeFileSync(config, 'scrape_configs: []\n');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    await startProcess(process.execPath, [join(app, 'dist/main.js'), `--config.file=${config}`, `--storage.tsdb.path=${join(app, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { readyUrl: `${base}/-/ready`, stopWithTest: true });
    const answer = await api<{ status: string; data: { result: [number, string] } }>(base, `/api/v1/query?query=${encodeURIComponent('scalar(vector(42))')}`);
    expect(answer.status).toBe('success');
    expect(answer.data.result[1]).toBe('42');
  }, 60_000);

  it('needs no other file: a worker started from a lone copy of it gets ready', async () => {
    const alone = join(tempDir(), 'query-worker.js');
    copyFileSync(bundle, alone);
    const worker = new Worker(alone, { workerData: { ...TEST_WORKER_CONFIG, niceness: 0, cancelCell: new SharedArrayBuffer(4) } });
    try {
      const [message] = (await once(worker, 'message')) as [{ type: string }];
      expect(message.type).toBe('ready');
    } finally {
      await worker.terminate();
    }
  });
});
