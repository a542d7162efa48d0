import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { spawnBundledWorker } from '../src/query/spawn-worker.js';
import { TEST_WORKER_CONFIG } from '../src/query/test-worker-config.js';
import { setServerV8Flags } from '../src/v8-flags.js';
import { api } from './harness.js';

// The build is two bundles scripts/bundle.mjs makes of tsc's output: dist/main.js (the main
// thread) and dist/query-worker.cjs (a query worker), each one file with everything it imports; the
// worker's comes with the code cache the build wrote (dist/query-worker.cjs.code-cache).

const dist = join(repoRoot(), 'apps/server/dist');
const bundle = join(dist, 'query-worker.cjs');
const built = existsSync(join(dist, 'main.js'));
// `npm test` builds before it tests; run alone without a build, there is nothing to run.
if (!built && process.env['CI'] === 'true') throw new Error(`${dist} is missing: run the build before the bundle test`);

describe.runIf(built)(`the bundled server${built ? '' : ' — skipped: apps/server is not built'}`, () => {
  it('runs from its two bundles alone: a dist/ holding only them (and the code cache) answers queries and serves the UI', async () => {
    const app = tempDir();
    mkdirSync(join(app, 'dist'));
    for (const file of ['main.js', 'query-worker.cjs', 'query-worker.cjs.code-cache']) copyFileSync(join(dist, file), join(app, 'dist', file));
    // Only the web UI's files are found through node_modules (@pyrometer/web's dist/ui).
    symlinkSync(join(repoRoot(), 'apps/server/node_modules'), join(app, 'node_modules'));
    const config = join(app, 'prometheus.yml');
    writeFileSync(config, 'scrape_configs: []\n');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    await startProcess(process.execPath, [join(app, 'dist/main.js'), `--config.file=${config}`, `--storage.tsdb.path=${join(app, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { readyUrl: `${base}/-/ready`, stopWithTest: true });
    const answer = await api<{ status: string; data: { result: [number, string] } }>(base, `/api/v1/query?query=${encodeURIComponent('scalar(vector(42))')}`);
    expect(answer.status).toBe('success');
    expect(answer.data.result[1]).toBe('42');
    expect(await (await fetch(`${base}/query`)).text()).toContain('<meta name="pyrometer-app" content="prometheus" />');
  }, 60_000);

  it("compiles a worker with the build's code cache under the V8 flags the server sets (main.ts)", async () => {
    // Process-wide, as in the server: the code cache is only valid under the flags it was written with.
    setServerV8Flags();
    const worker = spawnBundledWorker(bundle, { ...TEST_WORKER_CONFIG, niceness: 0, cancelCell: new SharedArrayBuffer(4) }, { maxOldGenerationSizeMb: undefined, maxYoungGenerationSizeMb: undefined });
    try {
      const [message] = (await once(worker, 'message')) as [{ type: string; codeCache: boolean }];
      expect(message).toMatchObject({ type: 'ready', codeCache: true });
    } finally {
      await worker.terminate();
    }
  });

  it('needs no other file: a worker started from a lone copy of it (no code cache) gets ready', async () => {
    const alone = join(tempDir(), 'query-worker.cjs');
    copyFileSync(bundle, alone);
    const worker = spawnBundledWorker(alone, { ...TEST_WORKER_CONFIG, niceness: 0, cancelCell: new SharedArrayBuffer(4) }, { maxOldGenerationSizeMb: undefined, maxYoungGenerationSizeMb: undefined });
    try {
      const [message] = (await once(worker, 'message')) as [{ type: string }];
      expect(message.type).toBe('ready');
    } finally {
      await worker.terminate();
    }
  });
});
