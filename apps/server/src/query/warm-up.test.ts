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
});
