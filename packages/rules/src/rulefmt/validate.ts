import { goQuote, isLegacyLabelName, isLegacyMetricName, isValidLabelName, isValidMetricName, isValidUtf8, METRIC_NAME_LABEL } from '@pyrometer/model';
import { defaultParserOptions, parseExpr } from '@pyrometer/promql/parser';
import { checkAlertTemplate } from '@pyrometer/template';
import { RulesError, type RuleFileLocation } from '../errors.js';
import type { RuleConfig, RuleFileOptions, RuleGroupConfig } from './rule-file.js';

/** A 1-based line and column in a rule file, when YAML gave one. */
export type Position = { line: number; col: number } | undefined;

/** Where the parts of a group sit in its file, for messages. */
export interface GroupPositions {
  at: Position;
  labels: Record<string, Position>;
  rules: {
    at: Position;
    record: Position;
    alert: Position;
    expr: Position;
    labels: Record<string, Position>;
    annotations: Record<string, Position>;
  }[];
}

type RulePositions = GroupPositions['rules'][number];

/** Upstream's `RuleGroups.Validate`: every problem of every group and rule, in file order. */
export function validateGroups(groups: readonly RuleGroupConfig[], positions: readonly GroupPositions[], file: string, options: RuleFileOptions): RulesError[] {
  const errors: RulesError[] = [];
  const names = new Set<string>();
  const legacy = options.nameValidation === 'legacy';
  groups.forEach((g, j) => {
    const pos = positions[j]!;
    const at = (p: Position): RuleFileLocation => ({ file, ...p });
    if (g.name === '') errors.push(new RulesError('invalid', 'Groupname must not be empty', at(pos.at)));
    if (names.has(g.name)) errors.push(new RulesError('invalid', `groupname: "${g.name}" is repeated in the same file`, at(pos.at)));
    names.add(g.name);
    for (const problem of labelProblems(g.labels, legacy)) errors.push(new RulesError('invalid', problem.text, at(pos.labels[problem.name])));
    g.rules.forEach((rule, i) => {
      const rulePos = pos.rules[i]!;
      for (const p of ruleProblems(rule, rulePos, legacy, options)) {
        errors.push(new RulesError('invalid', p.text, { ...at(p.at), group: g.name, rule: i + 1, ruleName: rule.alert || rule.record }));
      }
    });
  });
  return errors;
}

interface Problem {
  text: string;
  at: Position;
}

/** Upstream's `Rule.Validate`, with the position of what is wrong. */
function ruleProblems(r: RuleConfig, pos: RulePositions, legacy: boolean, options: RuleFileOptions): Problem[] {
  const out: Problem[] = [];
  if (r.record !== '' && r.alert !== '') out.push({ text: "only one of 'record' and 'alert' must be set", at: pos.record });
  if (r.record === '' && r.alert === '') out.push({ text: "one of 'record' or 'alert' must be set", at: pos.record ?? pos.alert ?? pos.at });
  if (r.expr === '') out.push({ text: "field 'expr' must be set in rule", at: pos.expr ?? pos.at });
  else {
    try {
      parseExpr(r.expr, { ...defaultParserOptions(), ...options.parser });
    } catch (err) {
      out.push({ text: `could not parse expression: ${(err as Error).message}`, at: pos.expr });
    }
  }
  if (r.record !== '') {
    const at = pos.record;
    if (Object.keys(r.annotations).length > 0) out.push({ text: "invalid field 'annotations' in recording rule", at });
    if (r.for !== 0) out.push({ text: "invalid field 'for' in recording rule", at });
    if (r.keepFiringFor !== 0) out.push({ text: "invalid field 'keep_firing_for' in recording rule", at });
    if (!(legacy ? isLegacyMetricName(r.record) : isValidMetricName(r.record))) out.push({ text: `invalid recording rule name: ${r.record}`, at });
    // Valid UTF-8, but almost always a selector pasted where the name belongs.
    if (r.record.includes('{') || r.record.includes('}')) out.push({ text: `braces present in the recording rule name; should it be in expr?: ${r.record}`, at });
  }
  for (const p of labelProblems(r.labels, legacy)) out.push({ text: p.text, at: pos.labels[p.name] });
  for (const name of Object.keys(r.annotations)) {
    if (!(legacy ? isLegacyLabelName(name) : isValidLabelName(name))) out.push({ text: `invalid annotation name: ${name}`, at: pos.annotations[name] });
  }
  if (r.alert !== '') out.push(...templateProblems(r, pos));
  return out;
}

/** Alerting rules' label and annotation templates must parse (upstream's `testTemplateParsing`). */
function templateProblems(r: RuleConfig, pos: RulePositions): Problem[] {
  const out: Problem[] = [];
  for (const [kind, texts, at] of [['label', r.labels, pos.labels], ['annotation', r.annotations, pos.annotations]] as const) {
    for (const [name, text] of Object.entries(texts)) {
      const err = checkAlertTemplate(r.alert, text);
      if (err !== undefined) out.push({ text: `${kind} ${goQuote(name)}: ${err.message}`, at: at[name] });
    }
  }
  return out;
}

/** Problems of a label map: invalid names (and `__name__`, which rules may not set) and values. */
function labelProblems(labels: Readonly<Record<string, string>>, legacy: boolean): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const [name, value] of Object.entries(labels)) {
    if (!(legacy ? isLegacyLabelName(name) : isValidLabelName(name)) || name === METRIC_NAME_LABEL) out.push({ name, text: `invalid label name: ${name}` });
    if (!isValidUtf8(value)) out.push({ name, text: `invalid label value: ${goQuote(value)}` });
  }
  return out;
}
