import { describe, expect, it } from 'vitest';
import { parseMetricSelector } from './metric-selector.js';

describe('parseMetricSelector', () => {
  it.each([
    { name: 'name and matchers', input: 'up{job="a"}', out: ['job="a"', '__name__="up"'] },
    { name: 'braces only', input: '{__name__=~"x.+"}', out: ['__name__=~"x.+"'] },
    { name: 'keyword name', input: 'sum', out: ['__name__="sum"'] },
    { name: 'quoted name', input: '{"a.b"}', out: ['__name__="a.b"'] },
    { name: 'empty braces are left to the caller', input: '{}', out: [] },
  ])('$name', ({ input, out }) => {
    expect(parseMetricSelector(input).map((m) => m.toString())).toEqual(out);
  });

  it.each([
    { name: 'range', input: 'up[5m]', message: '1:3: parse error: unexpected "["' },
    { name: 'expression', input: 'rate(up)', message: '1:5: parse error: unexpected "("' },
    { name: 'number', input: '1', message: '1:1: parse error: unexpected number "1"' },
  ])('rejects $name', ({ input, message }) => {
    expect(() => parseMetricSelector(input)).toThrow(message);
  });
});
