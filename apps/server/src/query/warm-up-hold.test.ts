import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SentLabels } from './label-cache.js';
import type { Job, Slot } from './pool-tasks.js';
import type { ToWorker } from './protocol.js';
import { WarmUpHold } from './warm-up-hold.js';

/** A pool's record of a worker (the hold reads and writes only these fields; no thread runs). */
function slot(name: string, fields: Partial<Slot> = {}): Slot & { name: string } {
  return { name, worker: {} as Worker, cancelCell: new Int32Array(1), sentLabels: new SentLabels(), job: undefined, ready: true, warm: false, terminating: false, prompt: false, ...fields };
}

describe('WarmUpHold', () => {
  it('holds the warm-ups of workers not yet warm while any worker has a task, and releases them once none has', () => {
    const posted: string[] = [];
    const hold = new WarmUpHold((s, message: ToWorker) => posted.push(`${(s as Slot & { name: string }).name} ${JSON.stringify(message)}`));
    const busy = slot('busy');
    const cold = slot('cold');
    const warm = slot('warm', { warm: true });
    const stopping = slot('stopping', { terminating: true });
    const slots = new Set<Slot>([busy, cold, warm, stopping]);
    hold.sync(slots);
    expect(posted).toEqual([]);
    busy.job = {} as Job;
    hold.sync(slots);
    // Said once per change: the busy worker's own task stops its warm-up, the hold keeps it from resuming after.
    hold.sync(slots);
    expect(posted.splice(0)).toEqual(['busy {"type":"warm-up","hold":true}', 'cold {"type":"warm-up","hold":true}']);
    busy.job = undefined;
    cold.warm = true;
    hold.sync(slots);
    expect(posted.splice(0)).toEqual(['busy {"type":"warm-up","hold":false}', 'cold {"type":"warm-up","hold":false}']);
  });
});
