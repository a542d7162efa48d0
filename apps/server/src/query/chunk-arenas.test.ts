import { describe, expect, it } from 'vitest';
import { ChunkArenas } from './chunk-arenas.js';

describe('ChunkArenas', () => {
  it('hands out powers of two, reuses the smallest free arena that fits, and keeps at most the retained bytes', () => {
    const arenas = new ChunkArenas(3072);
    const a = arenas.take(1000);
    const b = arenas.take(2000);
    expect([a.byteLength, b.byteLength]).toEqual([1024, 2048]);
    arenas.give(b);
    arenas.give(a);
    expect(arenas.take(500)).toBe(a);
    expect(arenas.take(500)).toBe(b);
    // Beyond the retained 3072 bytes an arena given back is left to the garbage collector.
    const c = arenas.take(3000);
    expect(c.byteLength).toBe(4096);
    arenas.give(c);
    expect(arenas.take(3000)).not.toBe(c);
  });

  it('keeps no arena after dropKept', () => {
    const arenas = new ChunkArenas(4096);
    const a = arenas.take(1000);
    arenas.give(a);
    arenas.dropKept();
    expect(arenas.take(1000)).not.toBe(a);
    // The retained budget is whole again.
    const b = arenas.take(4096);
    arenas.give(b);
    expect(arenas.take(4096)).toBe(b);
  });
});
