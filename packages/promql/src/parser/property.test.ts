import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from './errors.js';
import { parseExpr } from './parser.js';
import { exprToString } from './printer.js';
import { prettyPrint } from './pretty.js';
import { parseSeriesDescription } from './series.js';

const ALL = { enableExperimentalFunctions: true, enableExperimentalDurationExpr: true, enableExtendedRangeSelectors: true };

/** The tree without positions, matchers as sorted text (the printer sorts them): what must survive printing and re-parsing. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(shape);
    return value.every((v) => v?.constructor?.name === 'Matcher') ? items.sort() : items;
  }
  if (value === null || typeof value !== 'object') return Number.isNaN(value) ? 'NaN' : value;
  if (value.constructor?.name === 'Matcher') return String(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'pos') out[k] = shape(v);
  return out;
}

const metric = fc.constantFrom('up', 'http_requests_total', 'job:rate:sum', 'sum', 'offset', 'x');
const label = fc.constantFrom('job', 'instance', 'le', 'on', 'a_b');
const value = fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s));
const matcher = fc.tuple(label, fc.constantFrom('=', '!=', '=~', '!~'), value).map(([l, op, v]) => `${l}${op}${v}`);
const duration = fc.constantFrom('1s', '30s', '5m', '1h30m', '2d', '1w', '250ms', '90');
const selector = fc
  .tuple(metric, fc.array(matcher, { maxLength: 3 }), fc.option(fc.constantFrom(' offset 5m', ' offset -1h', ' @ 100', ' @ start()', ' @ end()')))
  .map(([m, ms, mod]) => `${m}${ms.length > 0 ? `{${ms.join(',')}}` : ''}${mod ?? ''}`);
const range = fc.tuple(metric, duration, fc.option(fc.constantFrom(' offset 1m', ' @ 5'))).map(([m, d, mod]) => `${m}[${d}]${mod ?? ''}`);
const number = fc.oneof(
  fc.double({ noNaN: false }).map((d) => (Number.isNaN(d) ? 'NaN' : d === Infinity ? 'Inf' : d === -Infinity ? '-Inf' : String(d))),
  fc.integer({ min: 0, max: 1000 }).map(String),
  duration,
);

const { expr } = fc.letrec<{ expr: string; vector: string }>((tie) => ({
  vector: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    selector,
    range.map((r) => `rate(${r})`),
    fc.tuple(fc.constantFrom('sum', 'avg', 'max', 'count', 'group'), fc.constantFrom('', ' by (job)', ' without (instance, le)'), tie('vector')).map(
      ([op, g, e]) => `${op}${g}(${e})`,
    ),
    fc.tuple(fc.constantFrom('topk', 'bottomk', 'quantile'), fc.double({ min: 0, max: 10, noNaN: true }), tie('vector')).map(
      ([op, k, e]) => `${op}(${k}, ${e})`,
    ),
    fc.tuple(tie('vector'), fc.constantFrom('+', '-', '*', '/', '%', '^', '==', '!=', '> bool', 'and', 'or', 'unless', 'atan2'), fc.constantFrom('', ' on (job)', ' ignoring (le)'), tie('vector')).map(
      ([l, op, m, r]) => `${l} ${op}${m} ${r}`,
    ),
    fc.tuple(tie('vector'), fc.constantFrom('+', '*', '>'), number).map(([l, op, n]) => `${l} ${op} ${n}`),
    tie('vector').map((e) => `(${e})`),
    tie('vector').map((e) => `-${e}`),
    fc.tuple(tie('vector'), duration).map(([e, d]) => `max_over_time((${e})[${d}:])`),
    fc.tuple(tie('vector'), fc.constantFrom('1m', '5m')).map(([e, d]) => `avg_over_time((${e})[1h:${d}] offset ${d})`),
    tie('vector').map((e) => `label_replace(${e}, "dst", "$1", "src", "(.*)")`),
    tie('vector').map((e) => `abs(${e})`),
  ),
  expr: fc.oneof(tie('vector'), number, fc.tuple(number, fc.constantFrom('+', '-', '*', '/', '^'), number).map(([a, op, b]) => `${a} ${op} ${b}`)),
}));

describe('parser properties', () => {
  it('never fails with anything but a ParseError on arbitrary text', () => {
    const alphabet = fc.constantFrom(...'abc_:{}[]()",\'`=!~<>+-*/%^@#.,0123456789 \n\\xeEsmhdwy'.split(''), 'offset', 'by', 'sum', 'rate', 'step()', '5m', '{{');
    const text = fc.oneof(fc.string({ unit: alphabet, maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));
    fc.assert(
      fc.property(text, (q) => {
        for (const run of [() => parseExpr(q), () => parseExpr(q, ALL), () => parseSeriesDescription(q)]) {
          try {
            run();
          } catch (err) {
            if (!(err instanceof ParseError)) throw err;
            expect(err.pos.start).toBeGreaterThanOrEqual(0);
            expect(err.pos.end).toBeGreaterThanOrEqual(err.pos.start);
            expect(err.pos.end).toBeLessThanOrEqual(q.length);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('prints trees that parse back to the same tree', () => {
    fc.assert(
      fc.property(expr, (q) => {
        let e;
        try {
          e = parseExpr(q, ALL);
        } catch (err) {
          // Generated text may still be invalid (ill-typed, or a bad regex); only valid trees matter here.
          if (err instanceof ParseError) return;
          throw err;
        }
        const printed = exprToString(e);
        expect(shape(parseExpr(printed, ALL))).toEqual(shape(e));
        expect(shape(parseExpr(prettyPrint(e), ALL))).toEqual(shape(e));
      }),
      { numRuns: 1000 },
    );
  });
});
