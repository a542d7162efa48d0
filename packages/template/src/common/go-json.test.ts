import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringMap } from '../values.js';
import { marshalJSON } from './go-json.js';

describe('json.Marshal', () => {
  it.each<[unknown, string]>([
    [null, 'null'],
    ['<a&b>', '"\\u003ca\\u0026b\\u003e"'],
    ['\u2028', '"\\u2028"'],
    [1e-7, '1e-7'],
    [1e21, '1e+21'],
    [123456789, '123456789'],
    [0.1, '0.1'],
    [-0, '-0'],
    [12n, '12'],
    [[1n, 'a', true], '[1,"a",true]'],
    [{ b: 1n, a: 2n }, '{"a":2,"b":1}'],
    [new StringMap({ z: '1', a: '2' }), '{"a":"2","z":"1"}'],
  ])('→ %s', (v, json) => {
    expect(marshalJSON(v)).toBe(json);
  });

  it('refuses NaN and Inf as Go does', () => {
    expect(() => marshalJSON(NaN)).toThrow('json: unsupported value: NaN');
    expect(() => marshalJSON(Infinity)).toThrow('json: unsupported value: +Inf');
  });

  it('strings and finite numbers read back unchanged (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.double({ noNaN: true, noDefaultInfinity: true }), (s, n) => {
        expect(JSON.parse(marshalJSON(s))).toBe(s);
        expect(JSON.parse(marshalJSON(n))).toBe(n);
      }),
    );
  });
});
