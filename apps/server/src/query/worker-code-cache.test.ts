import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@pyrometer/testkit';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { codeCachePath, prepareCodeCacheHeader, startCachedWorker } from './worker-code-cache.js';

/**
 * A stand-in for the query worker's bundle: a CommonJS script whose function `answer` is compiled
 * lazily (when first called), so a code cache written after the call holds its bytecode. It posts
 * what `answer` returns and whether its cache was taken, and writes the cache when told to.
 */
const bundleText = (answer: string): string => `const { parentPort } = require('node:worker_threads');
const cache = globalThis['pyrometer.worker-code-cache'];
function answer() { return ${JSON.stringify(answer)}; }
parentPort.postMessage({ answer: answer(), accepted: cache.accepted });
parentPort.on('message', () => cache.save());
`;

/** Starts the bundle and resolves with its first message. */
async function run(bundle: string, save = false): Promise<{ answer: string; accepted: boolean; worker: ReturnType<typeof startCachedWorker> }> {
  const worker = startCachedWorker(bundle, {}, save);
  const [message] = (await once(worker, 'message')) as [{ answer: string; accepted: boolean }];
  return { ...message, worker };
}

/** Writes `bundle`'s code cache from a worker that ran it. */
async function writeCache(bundle: string): Promise<void> {
  const { worker } = await run(bundle, true);
  worker.postMessage('save');
  const [saved] = (await once(worker, 'message')) as [{ type: string }];
  expect(saved.type).toBe('code-cache-saved');
  await worker.terminate();
}

async function answerOf(bundle: string): Promise<{ answer: string; accepted: boolean }> {
  const { answer, accepted, worker } = await run(bundle);
  await worker.terminate();
  return { answer, accepted };
}

describe('a worker bundle compiled with its code cache', () => {
  it('takes the cache a worker of the same bundle wrote, and runs as without it', async () => {
    const bundle = join(tempDir(), 'worker.cjs');
    writeFileSync(bundle, bundleText('one'));
    expect(await answerOf(bundle)).toEqual({ answer: 'one', accepted: false });
    await writeCache(bundle);
    expect(existsSync(codeCachePath(bundle))).toBe(true);
    expect(await answerOf(bundle)).toEqual({ answer: 'one', accepted: true });
  });

  it('ignores the cache of another bundle of the same length (which V8 alone would take) and runs the new code', async () => {
    const bundle = join(tempDir(), 'worker.cjs');
    writeFileSync(bundle, bundleText('old'));
    await writeCache(bundle);
    writeFileSync(bundle, bundleText('new'));
    expect(await answerOf(bundle)).toEqual({ answer: 'new', accepted: false });
  });

  it('takes the cache with a header prepared ahead of the start, and a header prepared for a bundle replaced since is not used', async () => {
    const bundle = join(tempDir(), 'worker.cjs');
    writeFileSync(bundle, bundleText('old'));
    await writeCache(bundle);
    prepareCodeCacheHeader(bundle);
    expect(await answerOf(bundle)).toEqual({ answer: 'old', accepted: true });
    prepareCodeCacheHeader(bundle);
    writeFileSync(bundle, bundleText('new'));
    expect(await answerOf(bundle)).toEqual({ answer: 'new', accepted: false });
  });

  it('runs the bundle when V8 rejects the cache (data of another V8, or damaged) or its header names another Node', async () => {
    const bundle = join(tempDir(), 'worker.cjs');
    writeFileSync(bundle, bundleText('one'));
    await writeCache(bundle);
    const file = readFileSync(codeCachePath(bundle));
    const headerEnd = file.indexOf(10) + 1;
    writeFileSync(codeCachePath(bundle), Buffer.concat([file.subarray(0, headerEnd), Buffer.alloc(file.length - headerEnd, 7)]));
    expect(await answerOf(bundle)).toEqual({ answer: 'one', accepted: false });
    writeFileSync(codeCachePath(bundle), Buffer.concat([Buffer.from(file.subarray(0, headerEnd).toString().replace(process.version, 'v0.0.0')), file.subarray(headerEnd)]));
    expect(await answerOf(bundle)).toEqual({ answer: 'one', accepted: false });
  });

  it('with source maps on, loads the bundle through Node (no cache) so stack traces name the sources', async () => {
    const bundle = join(tempDir(), 'worker.cjs');
    const source = "export function fail(): never {\n  throw new Error('from the sources');\n}\nfail();\n";
    writeFileSync(bundle, transformSync(source, { loader: 'ts', format: 'cjs', sourcemap: 'inline', sourcefile: 'original.ts' }).code);
    writeFileSync(codeCachePath(bundle), 'no cache\n');
    const worker = startCachedWorker(bundle, { execArgv: ['--enable-source-maps'] });
    const [err] = (await once(worker, 'error')) as [Error];
    expect(err.stack).toContain('original.ts:2');
  });

  it('fails the worker\'s start when the bundle is missing', async () => {
    const worker = startCachedWorker(join(tempDir(), 'missing.cjs'), {});
    const [err] = (await once(worker, 'error')) as [Error];
    expect(err.message).toContain('missing.cjs');
  });
});
