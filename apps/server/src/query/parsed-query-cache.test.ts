import { Engine, PromQLError } from '@pyrometer/promql';
import { describe, expect, it } from 'vitest';
import { ParsedQueryCache } from './parsed-query-cache.js';

describe('ParsedQueryCache (rule expressions kept parsed across rounds in a worker)', () => {
  it('parses a text once and answers the same parsed query after', () => {
    const cache = new ParsedQueryCache(new Engine());
    const first = cache.get('sum by (job) (rate(x_total{job="a"}[1m]))');
    expect(first.text).toBe('sum by (job) (rate(x_total{job="a"}[1m]))');
    expect(cache.get('sum by (job) (rate(x_total{job="a"}[1m]))')).toBe(first);
    expect(cache.get('up == 0')).not.toBe(first);
    expect(cache.size).toBe(2);
  });

  it('throws the engine\'s bad_data error for a bad text and keeps nothing of it', () => {
    const cache = new ParsedQueryCache(new Engine());
    expect(() => cache.get('sum(')).toThrow(PromQLError);
    expect(() => cache.get('x @ 100')).not.toThrow();
    const noAt = new ParsedQueryCache(new Engine({ enableAtModifier: false }));
    expect(() => noAt.get('x @ 100'), 'validated as instantQuery validates').toThrow('@ modifier is disabled');
    expect(noAt.size).toBe(0);
  });

  it('starts over when full, so texts of rules gone by reloads do not pile up', () => {
    const cache = new ParsedQueryCache(new Engine(), 3);
    for (const text of ['a', 'b', 'c']) cache.get(text);
    expect(cache.size).toBe(3);
    cache.get('d');
    expect(cache.size).toBe(1);
    expect(cache.get('d').text).toBe('d');
  });
});
