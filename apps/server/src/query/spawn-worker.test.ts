import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnQueryWorker } from './spawn-worker.js';
import { TEST_WORKER_CONFIG } from './test-worker-config.js';

/** The young generation (MiB) V8 gives an isolate created now, as a fresh worker reports it. */
async function nextIsolateNewSpaceMb(): Promise<number> {
  const probe = new Worker("const v8 = require('node:v8'); require('node:worker_threads').parentPort.postMessage(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)", { eval: true });
  const [bytes] = (await once(probe, 'message')) as [number];
  await probe.terminate();
  return bytes / 2 ** 20;
}

afterEach(() => setFlagsFromString('--max-semi-space-size=0'));

describe('spawnQueryWorker', () => {
  it("keeps the workers' 16 MiB semi-spaces when the process caps its own (launch-env.json's NODE_OPTIONS)", async () => {
    // What `NODE_OPTIONS=--max-semi-space-size=2` leaves set: V8 applies it to every isolate created later.
    setFlagsFromString('--max-semi-space-size=2');
    expect(await nextIsolateNewSpaceMb()).toBeLessThanOrEqual(4);
    const worker = spawnQueryWorker({ ...TEST_WORKER_CONFIG, cancelCell: new SharedArrayBuffer(4) }, { maxOldGenerationSizeMb: undefined, maxYoungGenerationSizeMb: 192 });
    expect(await nextIsolateNewSpaceMb()).toBeGreaterThanOrEqual(16);
    await worker.terminate();
  });
});
