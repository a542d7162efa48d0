import { describe, expect, it } from 'vitest';
import { emitYaml } from './yaml-emit.js';

// Expected output as go-yaml v2 (libyaml's emitter) writes these values.
describe('YAML as go-yaml v2 writes it', () => {
  it.each([
    { value: 'plain', out: 'plain' },
    { value: '', out: '""' },
    { value: 'true', out: '"true"' },
    { value: '1234', out: '"1234"' },
    { value: '1.5', out: '"1.5"' },
    { value: 'null', out: '"null"' },
    { value: '{{ template "x" . }}', out: `'{{ template "x" . }}'` },
    { value: '#channel', out: "'#channel'" },
    { value: 'a: b', out: "'a: b'" },
    { value: 'it\'s', out: "it's" },
    { value: ' lead', out: "' lead'" },
    { value: 'tab\there', out: '"tab\\there"' },
    { value: '- item', out: "'- item'" },
    { value: 'http://h:9093/x?a=b#c', out: 'http://h:9093/x?a=b#c' },
    { value: 'line1\nline2', out: '|-\n  line1\n  line2' },
  ])('the string $value', ({ value, out }) => {
    expect(emitYaml({ map: [['k', value]] })).toBe(`k: ${out}\n`);
  });

  it('writes mappings, sequences not indented under their key, flow sequences and empty collections', () => {
    expect(
      emitYaml({
        map: [
          ['route', { map: [['group_by', { seq: ['a', 'b'] }], ['continue', false], ['routes', { seq: [{ map: [['receiver', 'x'], ['match', { map: [['k', 'v']] }]] }] }]] }],
          ['weekdays', { seq: ['monday:friday', '1'], flow: true }],
          ['templates', { seq: [] }],
          ['empty', { map: [] }],
          ['count', 0],
          ['none', null],
        ],
      }),
    ).toBe("route:\n  group_by:\n  - a\n  - b\n  continue: false\n  routes:\n  - receiver: x\n    match:\n      k: v\nweekdays: ['monday:friday', \"1\"]\ntemplates: []\nempty: {}\ncount: 0\nnone: null\n");
  });
});
