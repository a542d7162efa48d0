import { Engine } from '@pyrometer/promql';
import { describe, expect, it } from 'vitest';
import { warmUp } from './warm-up.js';

describe('query worker warm-up', () => {
  it('answers every dashboard shape over its synthetic chunks, two rounds', async () => {
    expect(await warmUp(new Engine(), { aborted: false })).toBe(26);
  });

  it('stops as soon as it is told to (a task arrived)', async () => {
    expect(await warmUp(new Engine(), { aborted: true })).toBe(0);
    let queries = 0;
    const stop = { get aborted() { return ++queries > 40; } };
    expect(await warmUp(new Engine(), stop)).toBeLessThan(26);
  });

  it('lets a message that arrives while it runs be read before its next query (a worker\'s first task)', async () => {
    const stop = { aborted: false };
    // Over synthetic data the engine never waits for I/O: only a turn of the event loop runs this.
    setImmediate(() => (stop.aborted = true));
    expect(await warmUp(new Engine(), stop)).toBeLessThanOrEqual(1);
  });
});
