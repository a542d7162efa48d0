import { describe, expect, it } from 'vitest';
import { FUNCTIONS, getFunction } from './functions.js';

describe('function table', () => {
  it('has the Prometheus 3.9 functions with their signatures', () => {
    expect(FUNCTIONS.size).toBe(82);
    expect(getFunction('rate')).toMatchObject({ argTypes: ['matrix'], returnType: 'vector', variadic: 0, experimental: false });
    expect(getFunction('label_join')).toMatchObject({ argTypes: ['vector', 'string', 'string', 'string'], variadic: -1 });
    expect(getFunction('round')).toMatchObject({ argTypes: ['vector', 'scalar'], variadic: 1 });
    expect(getFunction('scalar')?.returnType).toBe('scalar');
    expect(getFunction('nope')).toBeUndefined();
  });

  it('marks the experimental functions', () => {
    const experimental = [...FUNCTIONS.values()].filter((f) => f.experimental).map((f) => f.name).sort();
    expect(experimental).toEqual([
      'double_exponential_smoothing', 'first_over_time', 'info', 'mad_over_time', 'sort_by_label', 'sort_by_label_desc',
      'ts_of_first_over_time', 'ts_of_last_over_time', 'ts_of_max_over_time', 'ts_of_min_over_time',
    ]);
  });

  it('hands out frozen definitions', () => {
    expect(Object.isFrozen(getFunction('abs'))).toBe(true);
  });
});
