import { describe, expect, it } from 'vitest';
import { parseRuleFile } from './rule-file.js';

const parse = (text: string, options = {}) => parseRuleFile(text, 'r.yml', options);
const messages = (text: string, options = {}) => parse(text, options).errors.map((e) => e.message);

describe('parseRuleFile', () => {
  it('reads every field with its default', () => {
    const { groups, errors } = parse(`groups:
  - name: g
    interval: 30s
    query_offset: 1m
    limit: 10
    labels: {team: a}
    rules:
      - record: a:b
        expr: sum(x)
        labels: {k: v}
      - alert: A
        expr: up == 0
        for: 5m
        keep_firing_for: 1m
        labels: {severity: page}
        annotations: {summary: "down {{ $labels.instance }}"}
  - name: h
    rules: []
`);
    expect(errors).toEqual([]);
    expect(groups).toEqual([
      {
        name: 'g',
        interval: 30_000,
        queryOffset: 60_000,
        limit: 10,
        labels: { team: 'a' },
        rules: [
          { record: 'a:b', alert: '', expr: 'sum(x)', for: 0, keepFiringFor: 0, labels: { k: 'v' }, annotations: {} },
          { record: '', alert: 'A', expr: 'up == 0', for: 300_000, keepFiringFor: 60_000, labels: { severity: 'page' }, annotations: { summary: 'down {{ $labels.instance }}' } },
        ],
      },
      { name: 'h', interval: 0, queryOffset: undefined, limit: 0, labels: {}, rules: [] },
    ]);
  });

  it.each([
    { name: 'empty file', text: '' },
    { name: 'empty groups', text: 'groups: []\n' },
    { name: 'null groups', text: 'groups:\n' },
  ])('$name has no groups and no errors', ({ text }) => {
    expect(parse(text)).toEqual({ groups: [], errors: [] });
  });

  it.each([
    { name: 'broken YAML', text: 'groups: [\n', error: 'r.yml: 2:1: ' },
    { name: 'unknown top-level field', text: 'group: []\n', error: 'r.yml: 1:1: field group not found in type rulefmt.RuleGroups' },
    { name: 'groups not a list', text: 'groups: 1\n', error: 'r.yml: 1:9: groups must be a list' },
    { name: 'bad interval', text: 'groups:\n  - name: g\n    interval: 5x\n', error: 'r.yml: 3:15: interval: unknown unit "x" in duration "5x"' },
    { name: 'bad for', text: 'groups:\n  - name: g\n    rules:\n      - alert: a\n        expr: "1"\n        for: soon\n', error: 'r.yml: 6:14: for: not a valid duration string: "soon"' },
    { name: 'negative limit', text: 'groups:\n  - name: g\n    limit: -1\n', error: 'r.yml: 3:12: limit must be a non-negative integer, got "-1"' },
    { name: 'repeated label', text: 'groups:\n  - name: g\n    labels: {a: 1, a: 2}\n', error: 'r.yml: 3:20: mapping key "a" already defined at line 3' },
    { name: 'repeated field', text: 'groups:\n  - name: g\n    name: h\n', error: 'r.yml: 3:5: field name already set in type rulefmt.RuleGroup' },
    { name: 'labels not a map', text: 'groups:\n  - name: g\n    labels: [a]\n', error: 'r.yml: 3:13: labels must be a mapping, got a list' },
  ])('$name stops reading with one positioned error', ({ text, error }) => {
    const errors = messages(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(error);
  });

  it('reports every validation problem, each with its group, rule and line', () => {
    expect(
      messages(`groups:
  - name: ""
    rules:
      - record: "a b{"
        expr: "1"
        annotations: {x: y}
      - alert: A
        expr: "sum("
        labels: {__name__: x}
  - name: g
    labels: {__name__: y}
`),
    ).toEqual([
      'r.yml: 2:5: Groupname must not be empty',
      'r.yml: 4:17: group "", rule 1, "a b{": invalid field \'annotations\' in recording rule',
      'r.yml: 4:17: group "", rule 1, "a b{": braces present in the recording rule name; should it be in expr?: a b{',
      'r.yml: 8:15: group "", rule 2, "A": could not parse expression: 1:5: parse error: unclosed left parenthesis',
      'r.yml: 9:18: group "", rule 2, "A": invalid label name: __name__',
      'r.yml: 11:14: invalid label name: __name__',
    ]);
  });

  it('legacy name validation rejects what UTF-8 validation accepts', () => {
    const text = 'groups:\n  - name: g\n    rules:\n      - record: "a.b"\n        expr: "1"\n        labels: {"x-y": z}\n';
    expect(messages(text)).toEqual([]);
    expect(messages(text, { nameValidation: 'legacy' })).toEqual(['r.yml: 4:17: group "g", rule 1, "a.b": invalid recording rule name: a.b', 'r.yml: 6:18: group "g", rule 1, "a.b": invalid label name: x-y']);
  });

  it('experimental functions parse only when enabled', () => {
    const text = 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sort_by_label(up, "a")\n';
    expect(messages(text)[0]).toContain('function "sort_by_label" is not enabled');
    expect(messages(text, { parser: { enableExperimentalFunctions: true } })).toEqual([]);
  });

  it('a label named __proto__ stays an ordinary key', () => {
    const { groups } = parse('groups:\n  - name: g\n    rules:\n      - alert: a\n        expr: "1"\n        labels: {__proto__: x}\n');
    expect(Object.entries(groups[0]!.rules[0]!.labels)).toEqual([['__proto__', 'x']]);
  });
});
