import { describe, expect, it } from 'vitest';
import { alignRangeSeries, formatLegend, stack } from './chart-data.js';

describe('chart data', () => {
  it('puts range series on the step grid, gaps and non-finite values as null', () => {
    const data = alignRangeSeries([{ metric: { a: '1' }, values: [[10, '1'], [30, 'NaN'], [40, '4']] }], 10, 40, 10);
    expect(data.times).toEqual([10, 20, 30, 40]);
    expect(data.series[0]!.values).toEqual([1, null, null, 4]);
  });

  it('stacks series as running sums', () => {
    expect(stack([[1, null, 3], [10, 20, null]])).toEqual([[1, null, 3], [11, 20, null]]);
  });

  it('fills legend formats from labels', () => {
    expect(formatLegend('{{task_name}} #{{ subtask_index }}', { task_name: 'Map', subtask_index: '1' })).toBe('Map #1');
  });
});
