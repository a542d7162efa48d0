import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unquoteGo } from '../engine/unquote.js';
import { sprintf } from './print.js';
import { canBackquote, quoteRune, quoteString } from './quote.js';

describe('strconv quoting', () => {
  it.each([
    ['abc', false, '"abc"'],
    ['a"b\\c', false, '"a\\"b\\\\c"'],
    ['\u0007\b\f\n\r\t\v\u0000\u007f', false, '"\\a\\b\\f\\n\\r\\t\\v\\x00\\x7f"'],
    ['☺\u00a0', false, '"☺\\u00a0"'],
    ['☺😀', true, '"\\u263a\\U0001f600"'],
  ])('Quote(%j, ascii %s) = %s', (s, ascii, quoted) => {
    expect(quoteString(s, ascii)).toBe(quoted);
  });

  it('QuoteRune and CanBackquote', () => {
    expect(quoteRune(0x27, false)).toBe("'\\''");
    expect(quoteRune(0x263a, true)).toBe("'\\u263a'");
    expect(canBackquote('a\tb')).toBe(true);
    expect(canBackquote('a`b')).toBe(false);
    expect(canBackquote('a\nb')).toBe(false);
  });

  it('quoting then unquoting gives the string back (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.boolean(), (s, ascii) => {
        expect(unquoteGo(quoteString(s, ascii))).toBe(s);
      }),
    );
  });

  it('%q through Sprintf is Quote, %#q back-quotes when it can (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(sprintf('%q', [s])).toBe(quoteString(s, false));
        expect(sprintf('%#q', [s])).toBe(canBackquote(s) ? '`' + s + '`' : quoteString(s, false));
      }),
    );
  });
});
