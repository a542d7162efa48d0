import { describe, expect, it } from 'vitest';
import { defaultRelabelConfig, validateRelabelConfig, type RelabelConfig } from './config.js';

const cfg = (over: Partial<RelabelConfig>): RelabelConfig => ({ ...defaultRelabelConfig(), ...over });

describe('legacy target labels with variables', () => {
  it.each([
    { target: 'label${1}', valid: true },
    { target: '${1}label', valid: true },
    { target: '${1}', valid: true },
    { target: '$1', valid: true },
    { target: 'asd$2asd', valid: true },
    { target: '_${1}_', valid: true },
    { target: 'foo${bar}foo', valid: true },
    { target: '${', valid: false },
    { target: '$', valid: false },
    { target: '${}', valid: false },
    { target: 'foo${', valid: false },
    { target: '-foo${1}bar-', valid: false },
    { target: 'bar.foo${1}bar', valid: false },
  ])('$target', ({ target, valid }) => {
    const legacy = validateRelabelConfig(cfg({ targetLabel: target }), { legacy: true });
    expect(legacy === undefined).toBe(valid);
    // Under Prometheus 3's UTF-8 rules every non-empty target is acceptable.
    expect(validateRelabelConfig(cfg({ targetLabel: target }))).toBeUndefined();
  });
});

describe('defaultRelabelConfig', () => {
  it('has upstream defaults and is a fresh object each time', () => {
    expect(defaultRelabelConfig()).toEqual({ sourceLabels: [], separator: ';', regex: '(.*)', modulus: 0, targetLabel: '', replacement: '$1', action: 'replace' });
    expect(defaultRelabelConfig()).not.toBe(defaultRelabelConfig());
  });
});

describe('validateRelabelConfig', () => {
  it.each([
    { name: 'valid replace', config: cfg({ sourceLabels: ['a'], targetLabel: 'b' }), want: undefined },
    { name: 'valid replace with variable target', config: cfg({ targetLabel: 'x_${1}' }), want: undefined },
    { name: 'valid keep', config: cfg({ sourceLabels: ['a'], regex: 'x', action: 'keep' }), want: undefined },
    { name: 'valid labeldrop', config: cfg({ regex: 'tmp_.*', action: 'labeldrop' }), want: undefined },
    { name: 'valid hashmod', config: cfg({ sourceLabels: ['a'], modulus: 4, targetLabel: 'h', action: 'hashmod' }), want: undefined },
    { name: 'valid UTF-8 target', config: cfg({ targetLabel: 'service.name' }), want: undefined },
    { name: 'UTF-8 allows a variable target for lowercase', config: cfg({ targetLabel: '${3}', action: 'lowercase' }), want: undefined },
    { name: 'UTF-8 allows a target starting with a digit', config: cfg({ targetLabel: '0${3}' }), want: undefined },
    { name: 'empty action', config: cfg({ action: '' }), want: 'relabel action cannot be empty' },
    { name: 'unknown action', config: cfg({ action: 'Explode' }), want: 'unknown relabel action "Explode"' },
    { name: 'bad regex', config: cfg({ regex: 'abc(def', targetLabel: 'x' }), want: 'error parsing regexp: missing closing ): `^(?s:abc(def)$`' },
    { name: 'replace needs a target', config: cfg({ regex: 'abcdef' }), want: "relabel configuration for replace action requires 'target_label' value" },
    { name: 'hashmod needs a modulus', config: cfg({ regex: 'abcdef', action: 'hashmod' }), want: 'relabel configuration for hashmod requires non-zero modulus' },
    { name: 'hashmod needs a target', config: cfg({ modulus: 8, action: 'hashmod' }), want: "relabel configuration for hashmod action requires 'target_label' value" },
    { name: 'negative modulus', config: cfg({ modulus: -1, action: 'hashmod', targetLabel: 'x' }), want: 'invalid modulus -1: must be a non-negative integer' },
    { name: 'legacy rejects a dotted target', config: cfg({ targetLabel: 'a.b' }), legacy: true, want: `"a.b" is invalid 'target_label' for replace action` },
    { name: 'legacy rejects a dotted variable target', config: cfg({ targetLabel: '${1}.b' }), legacy: true, want: `"\${1}.b" is invalid 'target_label' for replace action` },
    { name: 'legacy accepts a variable target', config: cfg({ targetLabel: 'x_${1}' }), legacy: true, want: undefined },
    { name: 'lowercase needs a target', config: cfg({ sourceLabels: ['__name__'], action: 'lowercase' }), want: "relabel configuration for lowercase action requires 'target_label' value" },
    { name: 'lowercase rejects a replacement', config: cfg({ targetLabel: '__name__', replacement: 'bar', action: 'lowercase' }), want: "'replacement' can not be set for lowercase action" },
    { name: 'uppercase rejects a replacement', config: cfg({ targetLabel: '__name__', replacement: 'bar', action: 'uppercase' }), want: "'replacement' can not be set for uppercase action" },
    { name: 'uppercase rejects a variable target', config: cfg({ targetLabel: '$1', action: 'uppercase' }), legacy: true, want: `"$1" is invalid 'target_label' for uppercase action` },
    { name: 'labelmap legacy replacement', config: cfg({ replacement: 'a.$1', action: 'labelmap' }), legacy: true, want: `"a.$1" is invalid 'replacement' for labelmap action` },
    { name: 'labelmap empty replacement', config: cfg({ replacement: '', action: 'labelmap' }), want: `"" is invalid 'replacement' for labelmap action` },
    { name: 'keepequal needs a target', config: cfg({ sourceLabels: ['a'], action: 'keepequal' }), want: "relabel configuration for keepequal action requires 'target_label' value" },
    { name: 'dropequal rejects a regex', config: cfg({ sourceLabels: ['a'], regex: 'foo', targetLabel: 'bar', action: 'dropequal' }), want: "dropequal action requires only 'source_labels' and `target_label`, and no other fields" },
    { name: 'labeldrop rejects source labels', config: cfg({ sourceLabels: ['a'], action: 'labeldrop' }), want: "labeldrop action requires only 'regex', and no other fields" },
    { name: 'labelkeep rejects a separator', config: cfg({ separator: ',', action: 'labelkeep' }), want: "labelkeep action requires only 'regex', and no other fields" },
    { name: 'labelkeep rejects a target', config: cfg({ targetLabel: 'yolo', action: 'labelkeep' }), want: "labelkeep action requires only 'regex', and no other fields" },
  ] as { name: string; config: RelabelConfig; legacy?: boolean; want: string | undefined }[])('$name', ({ config, legacy, want }) => {
    expect(validateRelabelConfig(config, { legacy: legacy ?? false })).toBe(want);
  });
});
