import { parseGoFloat } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { parseFloatBytes } from './float-parse.js';

describe('parseFloatBytes follows Go ParseFloat minus p, P and _, like the model\'s parseGoFloat', () => {
  const parse = (s: string) => parseFloatBytes(Buffer.from(s, 'latin1'), 0, s.length);
  it.each([
    { s: '1', v: 1 },
    { s: '-0.0213', v: -0.0213 },
    { s: '1.0E-4', v: 1e-4 },
    { s: '1.2345E9', v: 1.2345e9 },
    { s: '.5', v: 0.5 },
    { s: '5.', v: 5 },
    { s: '+3', v: 3 },
    { s: '1e-400', v: 0 },
    { s: '12345678901234567890', v: 12345678901234567000 },
    { s: '0.1000000000000000055511151231257827', v: 0.1 },
    { s: '123456789012345678', v: 123456789012345680 },
    { s: '4.9e-324', v: 5e-324 },
    { s: 'Inf', v: Infinity },
    { s: '-infinity', v: -Infinity },
    { s: 'nan', v: NaN },
  ])('accepts $s', ({ s, v }) => {
    expect(parse(s)).toBe(v);
    expect(parse(s)).toBe(parseGoFloat(s));
  });

  it.each(['', '+', '.', 'e5', '1e', '1e+', '1.2.3', '0x10', '1_0', '1p5', 'infin', '+nan', '1e400', '--1', 'Infinityx', ' 1'])('rejects %j', (s) => {
    expect(parse(s)).toBeUndefined();
    expect(parseGoFloat(s)).toBeUndefined();
  });
});
