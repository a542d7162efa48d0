import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatApiValue, formatExpositionValue, formatGoFloat, formatOpenMetricsFloat } from './go-float.js';
import { parseGoFloat } from './go-float-parse.js';

// Expected strings are what Go 1.2x's strconv.FormatFloat(v, fmt, prec, 64) prints.
describe('formatGoFloat', () => {
  it.each([
    { name: 'g shortest million', v: 1e6, fmt: 'g', prec: -1, want: '1e+06' },
    { name: 'g shortest below 1e6 stays plain', v: 123456, fmt: 'g', prec: -1, want: '123456' },
    { name: 'g shortest 999999.5', v: 999999.5, fmt: 'g', prec: -1, want: '999999.5' },
    { name: 'g shortest 1234567', v: 1234567, fmt: 'g', prec: -1, want: '1.234567e+06' },
    { name: 'g shortest unix time', v: 1.5838723477166057e9, fmt: 'g', prec: -1, want: '1.5838723477166057e+09' },
    { name: 'g shortest 1e-4 stays plain', v: 1e-4, fmt: 'g', prec: -1, want: '0.0001' },
    { name: 'g shortest 1e-5 is exponential', v: 1e-5, fmt: 'g', prec: -1, want: '1e-05' },
    { name: 'g shortest 0.1', v: 0.1, fmt: 'g', prec: -1, want: '0.1' },
    { name: 'g shortest zero', v: 0, fmt: 'g', prec: -1, want: '0' },
    { name: 'g shortest negative zero', v: -0, fmt: 'g', prec: -1, want: '-0' },
    { name: 'g shortest smallest subnormal', v: 5e-324, fmt: 'g', prec: -1, want: '5e-324' },
    { name: 'g shortest max', v: Number.MAX_VALUE, fmt: 'g', prec: -1, want: '1.7976931348623157e+308' },
    { name: 'g shortest 1e21', v: 1e21, fmt: 'g', prec: -1, want: '1e+21' },
    { name: 'g shortest 100', v: 100, fmt: 'g', prec: -1, want: '100' },
    { name: 'g shortest negative', v: -2.5e-7, fmt: 'g', prec: -1, want: '-2.5e-07' },
    { name: 'g 3 digits rounds up to exponent', v: 999.99, fmt: 'g', prec: 3, want: '1e+03' },
    { name: 'g 2 digits', v: 123.456, fmt: 'g', prec: 2, want: '1.2e+02' },
    { name: 'g precision 0 means 1', v: 123.456, fmt: 'g', prec: 0, want: '1e+02' },
    { name: 'g 5 digits plain', v: 3.14159265, fmt: 'g', prec: 5, want: '3.1416' },
    { name: 'g zero with precision', v: 0, fmt: 'g', prec: 3, want: '0' },
    { name: 'e shortest', v: 1e-7, fmt: 'e', prec: -1, want: '1e-07' },
    { name: 'e shortest zero', v: 0, fmt: 'e', prec: -1, want: '0e+00' },
    { name: 'e shortest 1', v: 1, fmt: 'e', prec: -1, want: '1e+00' },
    { name: 'e shortest three-digit exponent', v: 1.5e300, fmt: 'e', prec: -1, want: '1.5e+300' },
    { name: 'e padded precision', v: 100, fmt: 'e', prec: 3, want: '1.000e+02' },
    { name: 'e exact digits of 0.1', v: 0.1, fmt: 'e', prec: 20, want: '1.00000000000000005551e-01' },
    { name: 'e tie rounds to even (down)', v: 2.5, fmt: 'e', prec: 0, want: '2e+00' },
    { name: 'e tie rounds to even (up)', v: 3.5, fmt: 'e', prec: 0, want: '4e+00' },
    { name: 'f shortest', v: 123.5, fmt: 'f', prec: -1, want: '123.5' },
    { name: 'f shortest tiny', v: 1e-7, fmt: 'f', prec: -1, want: '0.0000001' },
    { name: 'f shortest huge', v: 1e21, fmt: 'f', prec: -1, want: '1000000000000000000000' },
    { name: 'f shortest negative zero', v: -0, fmt: 'f', prec: -1, want: '-0' },
    { name: 'f tie 2.5 to even', v: 2.5, fmt: 'f', prec: 0, want: '2' },
    { name: 'f tie 0.125 to even', v: 0.125, fmt: 'f', prec: 2, want: '0.12' },
    { name: 'f tie 0.375 to even', v: 0.375, fmt: 'f', prec: 2, want: '0.38' },
    { name: 'f 0.1 is not a tie', v: 0.15, fmt: 'f', prec: 1, want: '0.1' },
    { name: 'f rounds into a new digit', v: 9.96, fmt: 'f', prec: 1, want: '10.0' },
    { name: 'f rounds below the first digit up', v: 0.06, fmt: 'f', prec: 1, want: '0.1' },
    { name: 'f rounds below the first digit down', v: 0.04, fmt: 'f', prec: 1, want: '0.0' },
    { name: 'f pads zeros', v: 1.5, fmt: 'f', prec: 4, want: '1.5000' },
    { name: 'NaN', v: NaN, fmt: 'g', prec: -1, want: 'NaN' },
    { name: '+Inf', v: Infinity, fmt: 'f', prec: 2, want: '+Inf' },
    { name: '-Inf', v: -Infinity, fmt: 'e', prec: -1, want: '-Inf' },
  ] as const)('$name', ({ v, fmt, prec, want }) => {
    expect(formatGoFloat(v, fmt, prec)).toBe(want);
  });

  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
  const padExp = (s: string) => s.replace(/e([+-])(\d)$/, 'e$10$2');
  /** True when rounding `v` at this JS digit string would hit an exact half (JS rounds those up, Go to even). */
  const exactTie = (long: string, keep: number) => /^50*$/.test(long.replace('-', '').replace('.', '').replace(/e.*$/, '').slice(keep));

  it('shortest forms read back as the same float64 (all three formats)', () => {
    fc.assert(
      fc.property(finite, fc.constantFrom('f', 'e', 'g' as const), (v, fmt) => {
        const back = parseGoFloat(formatGoFloat(v, fmt));
        expect(Object.is(back, v)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("'e' shortest has the digits of JavaScript's shortest form", () => {
    fc.assert(
      fc.property(finite, (v) => {
        expect(formatGoFloat(v, 'e')).toBe((Object.is(v, -0) ? '-' : '') + padExp(v.toExponential()));
      }),
      { numRuns: 3000 },
    );
  });

  it("'f' shortest equals JavaScript's plain notation where JavaScript uses one", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e21, maxExcluded: true, noNaN: true }), fc.boolean(), (abs, negative) => {
        const v = negative ? -abs : abs;
        expect(formatGoFloat(v, 'f')).toBe(String(v));
      }),
      { numRuns: 3000 },
    );
  });

  it("'g' shortest is 'f' for exponents -4..5 and 'e' otherwise (Go's rule for shortest)", () => {
    fc.assert(
      fc.property(finite, (v) => {
        const e = formatGoFloat(v, 'e');
        const exp = v === 0 ? 0 : Number(e.slice(e.indexOf('e') + 1));
        expect(formatGoFloat(v, 'g')).toBe(exp < -4 || exp >= 6 ? e : formatGoFloat(v, 'f'));
      }),
      { numRuns: 3000 },
    );
  });

  it("'e' with a precision is correctly rounded (JavaScript's toExponential, except exact ties)", () => {
    fc.assert(
      fc.property(finite, fc.integer({ min: 0, max: 20 }), (v, prec) => {
        fc.pre(!exactTie(Math.abs(v).toExponential(Math.min(100, prec + 60)), prec + 1));
        expect(formatGoFloat(v, 'e', prec)).toBe((Object.is(v, -0) ? '-' : '') + padExp(v.toExponential(prec)));
      }),
      { numRuns: 3000 },
    );
  });

  it("'f' with a precision is correctly rounded (JavaScript's toFixed, except exact ties)", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e20, max: 1e20, noNaN: true }), fc.integer({ min: 0, max: 20 }), (v, prec) => {
        const long = Math.abs(v).toFixed(100);
        fc.pre(!exactTie(long, long.indexOf('.') + prec));
        const js = v.toFixed(prec);
        // toFixed drops the sign of results that round to zero; Go keeps it.
        const want = v < 0 && !js.startsWith('-') ? '-' + js : Object.is(v, -0) ? '-' + js : js;
        expect(formatGoFloat(v, 'f', prec)).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('Prometheus number writers', () => {
  it.each([
    { name: 'zero', v: 0, want: '0' },
    { name: 'negative zero', v: -0, want: '-0' },
    { name: 'plain', v: 123.5, want: '123.5' },
    { name: 'large plain', v: 1e20, want: '100000000000000000000' },
    { name: '1e21 switches to e', v: 1e21, want: '1e+21' },
    { name: '1e-6 stays plain', v: 1e-6, want: '0.000001' },
    { name: 'below 1e-6 switches to e', v: 1e-7, want: '1e-07' },
    { name: 'negative small', v: -1.5e-9, want: '-1.5e-09' },
    { name: 'NaN', v: NaN, want: 'NaN' },
    { name: '+Inf', v: Infinity, want: '+Inf' },
    { name: '-Inf', v: -Infinity, want: '-Inf' },
  ])('API value: $name', ({ v, want }) => {
    expect(formatApiValue(v)).toBe(want);
  });

  it.each([
    { name: 'one', v: 1, want: '1' },
    { name: 'zero', v: 0, want: '0' },
    { name: 'negative zero is 0', v: -0, want: '0' },
    { name: 'minus one', v: -1, want: '-1' },
    { name: 'million', v: 1e6, want: '1e+06' },
    { name: 'unix time', v: 1.5838723477166057e9, want: '1.5838723477166057e+09' },
    { name: 'fraction', v: 0.25, want: '0.25' },
    { name: 'NaN', v: NaN, want: 'NaN' },
    { name: '+Inf', v: Infinity, want: '+Inf' },
    { name: '-Inf', v: -Infinity, want: '-Inf' },
  ])('exposition value: $name', ({ v, want }) => {
    expect(formatExpositionValue(v)).toBe(want);
  });

  it.each([
    { name: 'one', v: 1, want: '1.0' },
    { name: 'zero', v: 0, want: '0.0' },
    { name: 'minus one', v: -1, want: '-1.0' },
    { name: 'integer gets .0', v: 10, want: '10.0' },
    { name: 'fraction unchanged', v: 0.25, want: '0.25' },
    { name: 'exponent unchanged', v: 1e6, want: '1e+06' },
    { name: 'large integer below 1e6', v: 250000, want: '250000.0' },
    { name: 'NaN', v: NaN, want: 'NaN' },
    { name: '+Inf', v: Infinity, want: '+Inf' },
    { name: '-Inf', v: -Infinity, want: '-Inf' },
  ])('OpenMetrics float: $name', ({ v, want }) => {
    expect(formatOpenMetricsFloat(v)).toBe(want);
  });
});

describe('parseGoFloat', () => {
  it.each([
    { name: 'integer', s: '1', want: 1 },
    { name: 'signed', s: '-1.5', want: -1.5 },
    { name: 'plus sign', s: '+2', want: 2 },
    { name: 'leading point', s: '.5', want: 0.5 },
    { name: 'trailing point', s: '1.', want: 1 },
    { name: 'exponent', s: '1e-07', want: 1e-7 },
    { name: 'upper exponent', s: '1.0E-4', want: 1e-4 },
    { name: 'negative zero', s: '-0', want: -0 },
    { name: 'leading zeros', s: '007', want: 7 },
    { name: 'underflow becomes zero', s: '1e-400', want: 0 },
    { name: 'NaN', s: 'NaN', want: NaN },
    { name: 'nan lower', s: 'nan', want: NaN },
    { name: 'Inf', s: 'Inf', want: Infinity },
    { name: '+Inf', s: '+Inf', want: Infinity },
    { name: '-Inf', s: '-Inf', want: -Infinity },
    { name: 'infinity', s: 'infinity', want: Infinity },
    { name: '-Infinity mixed case', s: '-InFiNiTy', want: -Infinity },
  ])('accepts $name', ({ s, want }) => {
    expect(Object.is(parseGoFloat(s), want)).toBe(true);
  });

  it.each([
    { name: 'empty', s: '' },
    { name: 'sign only', s: '-' },
    { name: 'point only', s: '.' },
    { name: 'dangling exponent', s: '1e' },
    { name: 'exponent only', s: 'e5' },
    { name: 'underscore separator', s: '1_000' },
    { name: 'hex float', s: '0x1p-2' },
    { name: 'hex without exponent', s: '0x10' },
    { name: 'upper P', s: '0x1P3' },
    { name: 'overflow', s: '1e400' },
    { name: 'signed NaN', s: '+NaN' },
    { name: 'negative NaN', s: '-nan' },
    { name: 'partial infinity', s: 'infin' },
    { name: 'leading space', s: ' 1' },
    { name: 'trailing space', s: '1 ' },
    { name: 'JavaScript Infinity with junk', s: 'Infinityx' },
    { name: 'binary literal', s: '0b1' },
    { name: 'comma', s: '1,5' },
  ])('rejects $name', ({ s }) => {
    expect(parseGoFloat(s)).toBeUndefined();
  });
});
