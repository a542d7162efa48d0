import { describe, expect, it } from 'vitest';
import { BodyBufferPool } from './body-buffer-pool.js';

describe('BodyBufferPool', () => {
  it('keeps a few free buffers for the next scrapes, whichever loop gives them back', () => {
    const pool = new BodyBufferPool();
    const taken = [0, 1, 2, 3, 4, 5].map(() => pool.take());
    for (const b of taken) pool.giveBack(b);
    const again = [0, 1, 2, 3, 4, 5].map(() => pool.take());
    expect(again.filter((b) => taken.includes(b))).toHaveLength(4);
  });

  it('shares nothing between two pools (each manager owns its own)', () => {
    const one = new BodyBufferPool();
    const other = new BodyBufferPool();
    const b = one.take();
    one.giveBack(b);
    expect(other.take()).not.toBe(b);
    expect(one.take()).toBe(b);
  });
});
