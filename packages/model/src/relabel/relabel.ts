import { ModelError } from '../errors.js';
import { isLegacyLabelName, isValidLabelName } from '../label-names.js';
import { Labels, type LabelsBuilder } from '../labels.js';
import { AnchoredRegex } from '../regex.js';
import { goToLower, goToUpper } from './case.js';
import { defaultRelabelConfig, RelabelAction, validateRelabelConfig, type RelabelConfig, type RelabelValidationOptions } from './config.js';
import { expandTemplate, hasTemplateVariable, type RegexMatch } from './expand.js';
import { md5TailWords } from './md5.js';

const DEFAULT_REGEX = defaultRelabelConfig().regex;
const NO_NAMES: ReadonlyMap<string, number> = new Map();
const tail = new Uint32Array(2);

/**
 * A validated, compiled relabel rule: the regex is compiled once and the action normalised to
 * lower case. Immutable (it keeps a frozen copy of its config) and safe to share between scrape
 * loops. Build one with {@link compileRelabelConfig}.
 */
export class RelabelRule {
  readonly config: RelabelConfig;
  readonly action: RelabelAction;
  readonly regex: AnchoredRegex;
  /** True when the regex is the default `(.*)`, which lets `replace` skip the regex engine. */
  readonly regexIsDefault: boolean;
  readonly targetHasVariable: boolean;
  readonly replacementHasVariable: boolean;
  readonly isValidName: (name: string) => boolean;

  /** Validates like {@link compileRelabelConfig} and throws the same {@link ModelError}. */
  constructor(config: RelabelConfig, options: RelabelValidationOptions = {}) {
    const problem = validateRelabelConfig(config, options);
    if (problem !== undefined) throw new ModelError('invalid_relabel_config', problem);
    this.config = Object.freeze({ ...config, sourceLabels: Object.freeze([...config.sourceLabels]) });
    this.action = config.action.toLowerCase() as RelabelAction;
    this.regex = new AnchoredRegex(config.regex);
    this.regexIsDefault = config.regex === DEFAULT_REGEX;
    this.targetHasVariable = hasTemplateVariable(config.targetLabel);
    this.replacementHasVariable = hasTemplateVariable(config.replacement);
    this.isValidName = options.legacy ? isLegacyLabelName : isValidLabelName;
  }
}

/**
 * Validates `config` with upstream's rules and compiles it. Throws {@link ModelError}
 * `invalid_relabel_config` carrying upstream's message (see `validateRelabelConfig`).
 */
export function compileRelabelConfig(config: RelabelConfig, options: RelabelValidationOptions = {}): RelabelRule {
  return new RelabelRule(config, options);
}

/**
 * Applies the rules in order to `labels` (Prometheus's `relabel.Process`) and returns the result,
 * or `undefined` when a rule dropped the set. `labels` itself is never modified; when no rule
 * changes anything the same instance comes back.
 */
export function relabel(labels: Labels, rules: readonly RelabelRule[]): Labels | undefined {
  if (rules.length === 0) return labels;
  const builder = labels.builder();
  return relabelBuilder(builder, rules) ? builder.labels() : undefined;
}

/**
 * Applies the rules in order to the labels held by `builder`, changing it in place
 * (`relabel.ProcessBuilder`), and returns false as soon as a rule drops the set; the builder's
 * contents are then unspecified. Lets a scrape loop reuse one builder for every sample.
 */
export function relabelBuilder(builder: LabelsBuilder, rules: readonly RelabelRule[]): boolean {
  for (const rule of rules) if (!applyRule(rule, builder)) return false;
  return true;
}

/** The state after one rule, as `/api/v1/targets/relabel_steps` reports it. */
export interface RelabelStep {
  readonly rule: RelabelConfig;
  /** The labels after this rule; empty once the set has been dropped. */
  readonly output: Labels;
  /** False from the rule that dropped the set onwards. */
  readonly keep: boolean;
}

/** Runs the rules one by one and records the labels after each; one step per rule, even after a drop. */
export function relabelSteps(labels: Labels, rules: readonly RelabelRule[]): RelabelStep[] {
  const builder = labels.builder();
  const steps: RelabelStep[] = [];
  let keep = true;
  for (const rule of rules) {
    if (keep) keep = applyRule(rule, builder);
    steps.push({ rule: rule.config, output: keep ? builder.labels() : Labels.EMPTY, keep });
  }
  return steps;
}

function applyRule(rule: RelabelRule, lb: LabelsBuilder): boolean {
  const cfg = rule.config;
  const sources = cfg.sourceLabels;
  let val = '';
  for (let i = 0; i < sources.length; i++) val += (i > 0 ? cfg.separator : '') + lb.get(sources[i]!);

  switch (rule.action) {
    case RelabelAction.Drop:
      return !rule.regex.matches(val);
    case RelabelAction.Keep:
      return rule.regex.matches(val);
    case RelabelAction.DropEqual:
      return lb.get(cfg.targetLabel) !== val;
    case RelabelAction.KeepEqual:
      return lb.get(cfg.targetLabel) === val;
    case RelabelAction.Replace:
      replace(rule, lb, val);
      return true;
    case RelabelAction.Lowercase:
      lb.set(cfg.targetLabel, goToLower(val));
      return true;
    case RelabelAction.Uppercase:
      lb.set(cfg.targetLabel, goToUpper(val));
      return true;
    case RelabelAction.HashMod:
      lb.set(cfg.targetLabel, String(hashMod(val, cfg.modulus)));
      return true;
    case RelabelAction.LabelMap: {
      const pairs: [string, string][] = [];
      lb.forEach((name, value) => pairs.push([name, value]));
      for (const [name, value] of pairs) {
        const m = matchOf(rule, name);
        if (m === undefined) continue;
        const newName = expandTemplate(cfg.replacement, m);
        if (newName !== '') lb.set(newName, value);
      }
      return true;
    }
    case RelabelAction.LabelDrop:
    case RelabelAction.LabelKeep: {
      const drop = rule.action === RelabelAction.LabelDrop;
      const names: string[] = [];
      lb.forEach((name) => {
        if (rule.regex.matches(name) === drop) names.push(name);
      });
      lb.delete(...names);
      return true;
    }
  }
}

function replace(rule: RelabelRule, lb: LabelsBuilder, val: string): void {
  const cfg = rule.config;
  if (val === '' && rule.regexIsDefault && !rule.targetHasVariable && !rule.replacementHasVariable) {
    lb.set(cfg.targetLabel, cfg.replacement);
    return;
  }
  const m = matchOf(rule, val);
  if (m === undefined) return;
  const target = rule.targetHasVariable ? expandTemplate(cfg.targetLabel, m) : cfg.targetLabel;
  if (!rule.isValidName(target)) return;
  const res = rule.replacementHasVariable ? expandTemplate(cfg.replacement, m) : cfg.replacement;
  if (res === '') lb.delete(target);
  else lb.set(target, res);
}

function matchOf(rule: RelabelRule, s: string): RegexMatch | undefined {
  // `(?s:(.*))` matches everything, with group 1 = the input: no need for the regex engine.
  if (rule.regexIsDefault) return { groups: [s, s], named: NO_NAMES };
  return rule.regex.exec(s);
}

/** Upstream's bucket: the last 8 bytes of MD5(value) as a big-endian uint64, modulo `modulus`. */
export function hashMod(value: string, modulus: number): number {
  md5TailWords(value, tail);
  const hi = tail[0]!;
  const lo = tail[1]!;
  if (modulus <= 2 ** 21) return ((hi % modulus) * (2 ** 32 % modulus) + (lo % modulus)) % modulus;
  return Number(((BigInt(hi) << 32n) | BigInt(lo)) % BigInt(modulus));
}
