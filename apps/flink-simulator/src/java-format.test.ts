import { describe, expect, it } from 'vitest';
import { doubleToGoString, javaDoubleToString } from './java-format.js';

describe('javaDoubleToString', () => {
  // Expected strings are what Java's Double.toString prints for these doubles.
  it.each([
    { name: 'integral', v: 1, want: '1.0' },
    { name: 'zero', v: 0, want: '0.0' },
    { name: 'negative zero', v: -0, want: '-0.0' },
    { name: 'small fraction', v: 0.0213, want: '0.0213' },
    { name: 'lower plain bound', v: 0.001, want: '0.001' },
    { name: 'below plain range', v: 1e-4, want: '1.0E-4' },
    { name: 'tiny with digits', v: 1.2345e-7, want: '1.2345E-7' },
    { name: 'large', v: 1.2345e9, want: '1.2345E9' },
    { name: 'upper plain bound', v: 9999999, want: '9999999.0' },
    { name: 'at 1e7', v: 1e7, want: '1.0E7' },
    { name: 'heap max', v: 1073741824, want: '1.073741824E9' },
    { name: 'plain with fraction', v: 123.456, want: '123.456' },
    { name: 'negative', v: -2.5, want: '-2.5' },
    { name: 'epoch millis', v: 1764033600000, want: '1.7640336E12' },
  ])('$name', ({ v, want }) => {
    expect(javaDoubleToString(v)).toBe(want);
  });

  it('writes Go-style special values as simpleclient does', () => {
    expect(doubleToGoString(Infinity)).toBe('+Inf');
    expect(doubleToGoString(-Infinity)).toBe('-Inf');
    expect(doubleToGoString(NaN)).toBe('NaN');
    expect(doubleToGoString(60)).toBe('60.0');
  });
});
