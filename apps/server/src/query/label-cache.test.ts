import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Labels } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { LabelCache, SentLabels } from './label-cache.js';

describe('SentLabels', () => {
  it('records refs far apart, counts each once and forgets them all on clear', () => {
    const sent = new SentLabels();
    sent.add([1, 9, 70_000, 9, 5_000_000]);
    expect([1, 9, 70_000, 5_000_000].map((r) => sent.has(r))).toEqual([true, true, true, true]);
    expect([2, 8, 69_999, 4_999_999, 6_000_000].some((r) => sent.has(r))).toBe(false);
    expect(sent.size).toBe(4);
    sent.clear();
    expect(sent.has(9) || sent.has(5_000_000)).toBe(false);
    expect(sent.size).toBe(0);
  });
});

describe('LabelCache', () => {
  it('keeps label sets by ref, small and huge, and refuses a ref it never got (or dropped)', () => {
    const cache = new LabelCache();
    const a = cache.set(3, Labels.from({ __name__: 'up', job: 'node' }));
    const b = cache.set(2 ** 40, Labels.from({ __name__: 'up', job: 'node' }));
    expect(cache.get(3)).toBe(a);
    expect(cache.get(2 ** 40)).toBe(b);
    expect(cache.get(3).get('job')).toBe('node');
    expect(() => cache.get(4)).toThrow(/head series 4, whose labels were never sent/);
    cache.clear();
    expect(() => cache.get(3)).toThrow(/never sent/);
  });

  // The engine asks a series' labels for their key (grouping, matching); the cache keeps the
  // labels, and with them the key, for as long as the worker lives.
  it('gets label sets whose key, once asked for, is kept as one string, not a rope of its pieces', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const sets = Array.from({ length: 20_000 }, (_, i) => Labels.from({ __name__: 'requests_total', job: 'api', instance: `10.0.${i >> 8}.${i & 255}:9100`, handler: `/api/v1/handler_${i % 50}`, code: `${200 + (i % 5)}` }));
    gc();
    const before = process.memoryUsage().heapUsed;
    let chars = 0;
    for (const labels of sets) chars += labels.key().length;
    gc();
    const bytesPerKey = (process.memoryUsage().heapUsed - before) / sets.length;
    // A flat one-byte string is its characters and a 16-byte header; the rope was ~650 bytes here.
    expect(bytesPerKey).toBeLessThan(2 * (chars / sets.length) + 64);
  });
});
