import { describe, expect, it } from 'vitest';
import { AnchoredRegex } from '../regex.js';
import { expandTemplate } from './expand.js';

describe('expandTemplate (Go regexp.Expand)', () => {
  const match = new AnchoredRegex('(?P<first>a)(b)?(c)(?P<x_1>d)?')
    .exec('acd')!;

  it.each([
    { name: 'no variables', template: 'plain', want: 'plain' },
    { name: 'numbered', template: '$1-$3', want: 'a-c' },
    { name: 'braced numbered', template: '${1}x', want: 'ax' },
    { name: '$1x is the name 1x (absent)', template: '$1x', want: '' },
    { name: 'group 0 is the whole match', template: '[$0]', want: '[acd]' },
    { name: 'unmatched group is empty', template: '<$2>', want: '<>' },
    { name: 'out of range group is empty', template: '<$9>', want: '<>' },
    { name: 'named', template: '$first/${x_1}', want: 'a/d' },
    { name: 'unknown name is empty', template: '<$nope>', want: '<>' },
    { name: 'dollar dollar', template: '$$1', want: '$1' },
    { name: 'lone dollar at the end', template: 'a$', want: 'a$' },
    { name: 'dollar before punctuation stays', template: '$-$.', want: '$-$.' },
    { name: 'unclosed brace stays literal', template: '${1', want: '${1' },
    { name: 'empty braces stay literal', template: '${}', want: '${}' },
    { name: 'leading zero is a name, not a number', template: '<$01>', want: '<>' },
    { name: 'unicode letters belong to names', template: '<$1é>', want: '<>' },
  ])('$name: $template', ({ template, want }) => {
    expect(expandTemplate(template, match)).toBe(want);
  });
});
