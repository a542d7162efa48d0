import { describe, expect, it } from 'vitest';
import { GoDuration } from '../gotime/duration.js';
import { GoMap, StringMap, TypedString } from '../values.js';
import { sprint, sprintf, sprintln } from './print.js';

// Cases restated from Go's fmt documentation and fmt_test.go: verbs, flags, widths, precisions,
// argument indexes, and the %!verb(…) texts for mistakes.

const cases: [string, unknown[], string][] = [
  ['%d', [12345n], '12345'],
  ['%v', [12345n], '12345'],
  ['%t', [true], 'true'],
  ['%b', [7n], '111'],
  ['%o', [8n], '10'],
  ['%O', [8n], '0o10'],
  ['%x', [255n], 'ff'],
  ['%X', [255n], 'FF'],
  ['%#x', [255n], '0xff'],
  ['%#o', [8n], '010'],
  ['%#b', [5n], '0b101'],
  ['%c', [0x263an], '☺'],
  ['%q', [0x263an], "'☺'"],
  ['%+q', [0x263an], "'\\u263a'"],
  ['%U', [0x263an], 'U+263A'],
  ['%#U', [0x263an], "U+263A '☺'"],
  ['%5d', [42n], '   42'],
  ['%-5d|', [42n], '42   |'],
  ['%05d', [-42n], '-0042'],
  ['%+d', [42n], '+42'],
  ['% d', [42n], ' 42'],
  ['%.3d', [7n], '007'],
  ['%.0d', [0n], ''],
  ['%e', [1234.5678], '1.234568e+03'],
  ['%E', [1234.5678], '1.234568E+03'],
  ['%f', [1234.5678], '1234.567800'],
  ['%.2f', [1234.5678], '1234.57'],
  ['%8.2f|', [3.14159], '    3.14|'],
  ['%-8.2f|', [3.14159], '3.14    |'],
  ['%08.2f', [-3.14159], '-0003.14'],
  ['%+.1f', [2.25], '+2.2'],
  ['%g', [1234.5678], '1234.5678'],
  ['%g', [1e21], '1e+21'],
  ['%G', [1e-7], '1E-07'],
  ['%.3g', [1234.5678], '1.23e+03'],
  ['%#g', [1.0], '1.00000'],
  ['%v', [1e6], '1e+06'],
  ['%v', [100000.0], '100000'],
  ['%v', [-0], '-0'],
  ['%f', [Infinity], '+Inf'],
  ['%5.1f', [-Infinity], ' -Inf'],
  ['%v', [NaN], 'NaN'],
  ['%+f', [NaN], '+NaN'],
  ['%+v', [NaN], 'NaN'],
  ['%s', ['hello'], 'hello'],
  ['%10s|', ['hello'], '     hello|'],
  ['%-10s|', ['hello'], 'hello     |'],
  ['%.2s', ['日本語'], '日本'],
  ['%q', ['"hi"\n'], '"\\"hi\\"\\n"'],
  ['%#q', ['back`quote'], '"back`quote"'],
  ['%#q', ['plain'], '`plain`'],
  ['%x', ['hello'], '68656c6c6f'],
  ['% x', ['hi'], '68 69'],
  ['%#X', ['hi'], '0X6869'],
  ['%v', [[1n, 'a', true]], '[1 a true]'],
  ['%d', [[1n, 2n]], '[1 2]'],
  ['%v', [new GoMap({ b: 2n, a: 1n })], 'map[a:1 b:2]'],
  ['%v', [new StringMap({ k: 'v' })], 'map[k:v]'],
  ['%s', [new TypedString('<b>', 'template.HTML')], '<b>'],
  ['%v', [new GoDuration(90_000_000_000n)], '1m30s'],
  ['%d', [new GoDuration(5n)], '5'],
  ['%v', [undefined], '<nil>'],
  ['%d', [undefined], '%!d(<nil>)'],
  ['%T', [1.5], 'float64'],
  ['%d', ['x'], '%!d(string=x)'],
  ['%s', [1.5], '%!s(float64=1.5)'],
  ['%d %d', [1n], '1 %!d(MISSING)'],
  ['%d', [1n, 2n], '1%!(EXTRA int=2)'],
  ['%[2]d %[1]d', [1n, 2n], '2 1'],
  ['%[3]d', [1n], '%!d(BADINDEX)'],
  ['%*d', [5n, 1n], '    1'],
  ['%-*d|', [3n, 1n], '1  |'],
  ['%.*f', [2n, 3.14159], '3.14'],
  ['%*d', ['x', 1n], '%!(BADWIDTH)1'],
  ['%', [], '%!(NOVERB)'],
  ['%z', [1n], '%!z(int=1)'],
  ['100%%', [], '100%'],
  ['%!', [], '%!!(MISSING)'],
];

describe('fmt.Sprintf', () => {
  it.each(cases.map(([format, args, expected]) => ({ format, args, expected })))('$format → $expected', ({ format, args, expected }) => {
    expect(sprintf(format, args)).toBe(expected);
  });
});

describe('fmt.Sprint and Sprintln', () => {
  it('adds spaces between operands when neither is a string', () => {
    expect(sprint([1n, 2n, 'a', 'b', 3.5, undefined, true])).toBe('1 2ab3.5 <nil> true');
    expect(sprint(['a', 1n, 'b'])).toBe('a1b');
    expect(sprintln(['a', 1n])).toBe('a 1\n');
  });

  it('prints values with String() and errors through them', () => {
    expect(sprint([{ String: () => 'stringer' }, new Error('boom')])).toBe('stringer boom');
  });
});
