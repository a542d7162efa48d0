import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { Labels } from '../labels.js';
import { defaultRelabelConfig, type RelabelConfig } from './config.js';
import { compileRelabelConfig, hashMod, relabel, relabelBuilder, relabelSteps, RelabelRule } from './relabel.js';

const rule = (over: Partial<RelabelConfig>) => compileRelabelConfig({ ...defaultRelabelConfig(), ...over });
const L = (o: Record<string, string>) => Labels.from(o);

interface Case {
  name: string;
  input: Record<string, string>;
  rules: Partial<RelabelConfig>[];
  /** The expected labels, or undefined when the set is dropped. */
  want: Record<string, string> | undefined;
}

const cases: Case[] = [
  // replace
  { name: 'replace with the default regex copies the source', input: { a: 'foo' }, rules: [{ sourceLabels: ['a'], targetLabel: 'b' }], want: { a: 'foo', b: 'foo' } },
  { name: 'replace with capture groups', input: { a: 'foo-bar' }, rules: [{ sourceLabels: ['a'], regex: '(.*)-(.*)', targetLabel: 'b', replacement: '$2:$1' }], want: { a: 'foo-bar', b: 'bar:foo' } },
  { name: 'replace joins sources with the separator', input: { a: 'x', b: 'y' }, rules: [{ sourceLabels: ['a', 'b', 'missing'], separator: '/', targetLabel: 'c' }], want: { a: 'x', b: 'y', c: 'x/y/' } },
  { name: 'replace is anchored: a partial match does nothing', input: { a: 'foobar' }, rules: [{ sourceLabels: ['a'], regex: 'foo', targetLabel: 'b', replacement: 'hit' }], want: { a: 'foobar' } },
  { name: 'replace with no match leaves labels alone', input: { a: 'foo' }, rules: [{ sourceLabels: ['a'], regex: 'bar', targetLabel: 'a', replacement: 'x' }], want: { a: 'foo' } },
  { name: 'replace with an empty result deletes the target', input: { a: 'foo', b: 'x' }, rules: [{ sourceLabels: ['a'], regex: 'foo', targetLabel: 'b', replacement: '' }], want: { a: 'foo' } },
  { name: 'replace adds a static label when the source is empty (fast path)', input: { a: 'foo' }, rules: [{ targetLabel: 'env', replacement: 'prod' }], want: { a: 'foo', env: 'prod' } },
  { name: 'replace with a variable target', input: { a: 'some-name-value' }, rules: [{ sourceLabels: ['a'], regex: 'some-([^-]+)-(.+)', targetLabel: '${1}', replacement: '${2}' }], want: { a: 'some-name-value', name: 'value' } },
  { name: 'replace skips an invalid expanded target', input: { a: 'x' }, rules: [{ sourceLabels: ['a'], regex: '(x)?(y)?', targetLabel: '${2}', replacement: 'v' }], want: { a: 'x' } },
  { name: 'replace: $1x is the group named 1x, hence empty', input: { a: 'foo' }, rules: [{ sourceLabels: ['a'], targetLabel: 'b', replacement: '$1x' }], want: { a: 'foo' } },
  { name: 'replace: ${1}x is group 1 then x', input: { a: 'foo' }, rules: [{ sourceLabels: ['a'], targetLabel: 'b', replacement: '${1}x' }], want: { a: 'foo', b: 'foox' } },
  { name: 'replace: named groups and $$', input: { a: 'k=v' }, rules: [{ sourceLabels: ['a'], regex: '(?P<key>[^=]+)=(?P<val>.*)', targetLabel: 'b', replacement: '$$$key:${val}' }], want: { a: 'k=v', b: '$k:v' } },
  { name: 'replace: dot matches newline', input: { a: 'x\ny' }, rules: [{ sourceLabels: ['a'], regex: 'x.y', targetLabel: 'b', replacement: 'ok' }], want: { a: 'x\ny', b: 'ok' } },
  { name: 'replace overwrites __name__', input: { __name__: 'old', a: '1' }, rules: [{ sourceLabels: ['__name__'], regex: 'old', targetLabel: '__name__', replacement: 'new' }], want: { __name__: 'new', a: '1' } },
  { name: 'replace: (?<name>) groups and a variable UTF-8 target', input: { a: 'line1\nline2' }, rules: [{ sourceLabels: ['a'], regex: '(line1).*(?<second>line2)', targetLabel: 'utf-8.label_${1}', replacement: 'val_${second}' }], want: { a: 'line1\nline2', 'utf-8.label_line1': 'val_line2' } },
  { name: 'replace: explicit anchors are harmless', input: { a: 'metrics' }, rules: [{ sourceLabels: ['a'], regex: '^metrics$', targetLabel: 'b', replacement: 'ok' }], want: { a: 'metrics', b: 'ok' } },
  { name: 'replace: several rules see each other’s output', input: { tags: 'path:/secret,job:j,label:foo=bar' }, rules: [{ sourceLabels: ['tags'], regex: '(?:.+,|^)path:(/[^,]+).*', targetLabel: '__metrics_path__' }, { sourceLabels: ['tags'], regex: '(?:.+,|^)label:([^=]+)=([^,]+).*', targetLabel: '${1}', replacement: '${2}' }, { sourceLabels: ['__metrics_path__', 'foo'], targetLabel: 'both', separator: '|' }], want: { tags: 'path:/secret,job:j,label:foo=bar', __metrics_path__: '/secret', foo: 'bar', both: '/secret|bar' } },
  // keep / drop
  { name: 'keep on match', input: { a: 'foo' }, rules: [{ sourceLabels: ['a'], regex: 'f.*', action: 'keep' }], want: { a: 'foo' } },
  { name: 'keep drops on no match', input: { a: 'foo' }, rules: [{ sourceLabels: ['a'], regex: 'b.*', action: 'keep' }], want: undefined },
  { name: 'keep with a missing label matches the empty string', input: { a: 'foo' }, rules: [{ sourceLabels: ['b'], regex: '', action: 'keep' }], want: { a: 'foo' } },
  { name: 'drop on match', input: { a: 'foo' }, rules: [{ sourceLabels: ['a'], regex: 'foo|bar', action: 'drop' }], want: undefined },
  { name: 'drop keeps on no match', input: { a: 'baz' }, rules: [{ sourceLabels: ['a'], regex: 'foo|bar', action: 'drop' }], want: { a: 'baz' } },
  { name: 'action is case-insensitive', input: { a: 'foo' }, rules: [{ sourceLabels: ['a'], regex: 'foo', action: 'DROP' }], want: undefined },
  { name: 'rules run in order and stop at a drop', input: { a: 'foo' }, rules: [{ targetLabel: 'b', replacement: 'x' }, { sourceLabels: ['b'], regex: 'x', action: 'drop' }, { targetLabel: 'c', replacement: 'y' }], want: undefined },
  // keepequal / dropequal
  { name: 'keepequal keeps equal values', input: { a: 'x', b: 'x' }, rules: [{ sourceLabels: ['a'], targetLabel: 'b', action: 'keepequal' }], want: { a: 'x', b: 'x' } },
  { name: 'keepequal drops different values', input: { a: 'x', b: 'y' }, rules: [{ sourceLabels: ['a'], targetLabel: 'b', action: 'keepequal' }], want: undefined },
  { name: 'dropequal drops equal values', input: { a: 'x', b: 'x' }, rules: [{ sourceLabels: ['a'], targetLabel: 'b', action: 'dropequal' }], want: undefined },
  { name: 'dropequal compares with the joined sources', input: { a: 'x', b: 'y', c: 'x;y' }, rules: [{ sourceLabels: ['a', 'b'], targetLabel: 'c', action: 'dropequal' }], want: undefined },
  // hashmod
  { name: 'hashmod writes the bucket', input: { a: 'foo' }, rules: [{ sourceLabels: ['a'], modulus: 1000, targetLabel: 'h', action: 'hashmod' }], want: { a: 'foo', h: '696' } },
  { name: 'hashmod with a huge modulus', input: { a: 'foo' }, rules: [{ sourceLabels: ['a'], modulus: 2 ** 53 - 1, targetLabel: 'h', action: 'hashmod' }], want: { a: 'foo', h: '4333518062922823' } },
  // labelmap
  { name: 'labelmap copies matching labels', input: { __meta_a: 'x', __meta_b: 'y', c: 'z' }, rules: [{ regex: '__meta_(.+)', action: 'labelmap' }], want: { __meta_a: 'x', __meta_b: 'y', a: 'x', b: 'y', c: 'z' } },
  { name: 'labelmap with a template', input: { foo: '1' }, rules: [{ regex: '(f)(o+)', replacement: '${2}_$1', action: 'labelmap' }], want: { foo: '1', oo_f: '1' } },
  { name: 'labelmap overwrites an existing label', input: { __meta_a: 'x', a: 'old' }, rules: [{ regex: '__meta_(.+)', action: 'labelmap' }], want: { __meta_a: 'x', a: 'x' } },
  // labeldrop / labelkeep
  { name: 'labeldrop', input: { a: '1', b: '2', c: '3' }, rules: [{ regex: 'a|b', action: 'labeldrop' }], want: { c: '3' } },
  { name: 'labelkeep', input: { a: '1', b: '2', c: '3' }, rules: [{ regex: 'a|b', action: 'labelkeep' }], want: { a: '1', b: '2' } },
  { name: 'labelkeep with a regex', input: { __name__: 'up', job: 'x', instance: 'y' }, rules: [{ regex: '__.*|job', action: 'labelkeep' }], want: { __name__: 'up', job: 'x' } },
  // lowercase / uppercase
  { name: 'lowercase', input: { a: 'FoO' }, rules: [{ sourceLabels: ['a'], targetLabel: 'b', action: 'lowercase' }], want: { a: 'FoO', b: 'foo' } },
  { name: 'uppercase', input: { a: 'FoO' }, rules: [{ sourceLabels: ['a'], targetLabel: 'a', action: 'uppercase' }], want: { a: 'FOO' } },
  { name: 'lowercase uses simple mappings like Go', input: { a: 'İΣ' }, rules: [{ sourceLabels: ['a'], targetLabel: 'b', action: 'lowercase' }], want: { a: 'İΣ', b: 'iσ' } },
  { name: 'uppercase keeps ß like Go', input: { a: 'straße' }, rules: [{ sourceLabels: ['a'], targetLabel: 'b', action: 'uppercase' }], want: { a: 'straße', b: 'STRAßE' } },
];

describe('relabel', () => {
  it.each(cases)('$name', ({ input, rules, want }) => {
    const labels = L(input);
    const before = labels.toFlat();
    const out = relabel(labels, rules.map(rule));
    expect(out === undefined ? undefined : out.toRecord()).toEqual(want);
    expect(labels.toFlat()).toEqual(before);
  });

  it('returns the same instance when nothing changes', () => {
    const labels = L({ a: '1' });
    expect(relabel(labels, [])).toBe(labels);
    expect(relabel(labels, [rule({ sourceLabels: ['a'], regex: '1', action: 'keep' })])).toBe(labels);
  });

  it('works on a reusable builder', () => {
    const rules = [rule({ sourceLabels: ['a'], targetLabel: 'b' })];
    const b = L({ a: '1' }).builder();
    expect(relabelBuilder(b, rules)).toBe(true);
    expect(b.labels().toRecord()).toEqual({ a: '1', b: '1' });
    b.reset(L({ a: '2' }));
    expect(relabelBuilder(b, rules)).toBe(true);
    expect(b.labels().toRecord()).toEqual({ a: '2', b: '2' });
  });
});

describe('relabelSteps', () => {
  it('records the labels after every rule, and empty output from the drop onwards', () => {
    const rules = [rule({ targetLabel: 'b', replacement: 'x' }), rule({ sourceLabels: ['b'], regex: 'x', action: 'drop' }), rule({ targetLabel: 'c', replacement: 'y' })];
    const steps = relabelSteps(L({ a: '1' }), rules);
    expect(steps.map((s) => [s.output.toRecord(), s.keep])).toEqual([
      [{ a: '1', b: 'x' }, true],
      [{}, false],
      [{}, false],
    ]);
    expect(steps[1]!.rule.action).toBe('drop');
  });
});

describe('hashMod', () => {
  // Expected buckets computed with Python: int.from_bytes(md5(v).digest()[8:], 'big') % m, i.e. Go's
  // binary.BigEndian.Uint64(md5.Sum(v)[8:]) % m.
  it.each([
    { value: 'foo', modulus: 1000, want: 696 },
    { value: 'foo', modulus: 2 ** 53 - 1, want: 4333518062922823 },
    { value: '', modulus: 10, want: 8 },
    { value: 'baz', modulus: 1000, want: 976 },
    { value: 'foo\nbar', modulus: 1000, want: 734 },
    { value: 'localhost:9100', modulus: 3, want: 1 },
  ])('$value % $modulus', ({ value, modulus, want }) => {
    expect(hashMod(value, modulus)).toBe(want);
  });
});

describe('compileRelabelConfig', () => {
  it('rejects an invalid rule with a typed error carrying upstream’s message', () => {
    let caught: unknown;
    try {
      rule({ action: 'hashmod', targetLabel: 'x' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ModelError);
    expect((caught as ModelError).code).toBe('invalid_relabel_config');
    expect((caught as ModelError).message).toBe('relabel configuration for hashmod requires non-zero modulus');
    expect(() => new RelabelRule({ ...defaultRelabelConfig(), action: 'explode' })).toThrow('unknown relabel action "explode"');
  });

  it('keeps its own frozen copy of the config', () => {
    const sourceLabels = ['a'];
    const config = { ...defaultRelabelConfig(), sourceLabels, targetLabel: 'b' };
    const compiled = rule(config);
    sourceLabels.push('c');
    config.targetLabel = 'z';
    expect(compiled.config.sourceLabels).toEqual(['a']);
    expect(relabel(L({ a: '1', c: '2' }), [compiled])?.toRecord()).toEqual({ a: '1', b: '1', c: '2' });
    expect(Object.isFrozen(compiled.config)).toBe(true);
  });
});
