import { readFile } from 'node:fs/promises';
import { ConfigError, readDuration, YamlReader, type YNode } from '@pyrometer/config';
import type { ParserOptions } from '@pyrometer/promql/parser';
import type { Node } from 'yaml';
import { RulesError } from '../errors.js';
import { validateGroups, type GroupPositions, type Position } from './validate.js';

/** One rule as written in a rule file (upstream's `rulefmt.Rule`). Durations in ms. */
export interface RuleConfig {
  /** The recorded metric name, or '' for an alerting rule. */
  readonly record: string;
  /** The alert name, or '' for a recording rule. */
  readonly alert: string;
  readonly expr: string;
  /** `for`: how long a condition must hold before the alert fires (0: at once). */
  readonly for: number;
  readonly keepFiringFor: number;
  /** Labels in file order; the group's labels are not merged in. */
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** One group as written in a rule file (upstream's `rulefmt.RuleGroup`). Durations in ms. */
export interface RuleGroupConfig {
  readonly name: string;
  /** 0 means "the global evaluation_interval". */
  readonly interval: number;
  /** undefined means "the global rule_query_offset". */
  readonly queryOffset: number | undefined;
  /** Most series or alerts one rule may produce; 0 means no limit. */
  readonly limit: number;
  /** Labels added to every rule of the group (a rule's own labels win). */
  readonly labels: Readonly<Record<string, string>>;
  readonly rules: readonly RuleConfig[];
}

/** How a rule file is read. */
export interface RuleFileOptions {
  /** Skip unknown fields instead of rejecting the file (promtool's `--ignore-unknown-fields`). */
  ignoreUnknownFields?: boolean;
  /** Label and metric name rules: Prometheus 3's `utf8` (default) or `legacy`. */
  nameValidation?: 'utf8' | 'legacy';
  /** PromQL features the expressions may use (experimental functions, …). */
  parser?: Partial<ParserOptions>;
}

/**
 * The outcome of reading one rule file. `errors` holds every problem found (a YAML or type error
 * stops reading, so it comes alone; validation reports all rules that break a rule); `groups` is
 * empty whenever `errors` is not.
 */
export interface ParsedRuleFile {
  readonly groups: readonly RuleGroupConfig[];
  readonly errors: readonly RulesError[];
}

/**
 * Parses and validates the text of a rule file as upstream's `rulefmt.Parse` does: unknown fields
 * are rejected (unless ignored), every rule is checked (exactly one of record/alert, an expression
 * that parses, names, labels, annotations), group names are unique. `file` names the source in
 * messages. Never throws for bad input.
 */
export function parseRuleFile(text: string, file: string, options: RuleFileOptions = {}): ParsedRuleFile {
  const positions: GroupPositions[] = [];
  const groups: RuleGroupConfig[] = [];
  try {
    const r = new YamlReader(file, text, { ignoreUnknownFields: options.ignoreUnknownFields ?? false });
    r.struct(r.root, 'rulefmt.RuleGroups', {
      groups: (n) =>
        r.list(n, 'groups', (g) => {
          const read = readGroup(r, g);
          groups.push(read.group);
          positions.push(read.positions);
        }),
    });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const { file: f, line, col } = err.position;
    return { groups: [], errors: [new RulesError(err.code === 'read' ? 'read' : 'yaml', err.problem, { file: f, ...(line !== undefined && { line }), ...(col !== undefined && { col }) }, { cause: err })] };
  }
  const errors = validateGroups(groups, positions, file, options);
  return { groups: errors.length === 0 ? groups : [], errors };
}

/** Reads and parses a rule file; an unreadable file is reported in `errors` as code `read`. */
export async function loadRuleFile(path: string, options: RuleFileOptions = {}): Promise<ParsedRuleFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { groups: [], errors: [new RulesError('read', (err as Error).message, { file: path }, { cause: err })] };
  }
  return parseRuleFile(text, path, options);
}

function readGroup(r: YamlReader, node: YNode): { group: RuleGroupConfig; positions: GroupPositions } {
  let name = '';
  let interval = 0;
  let queryOffset: number | undefined;
  let limit = 0;
  let labels: Record<string, string> = {};
  const labelKeys: Record<string, Position> = {};
  const rules: RuleConfig[] = [];
  const rulePositions: GroupPositions['rules'][number][] = [];
  r.struct(node, 'rulefmt.RuleGroup', {
    name: (n) => (name = r.string(n, 'name')),
    interval: (n) => (interval = readDuration(r, n, 'interval')),
    query_offset: (n) => (queryOffset = readDuration(r, n, 'query_offset')),
    limit: (n) => (limit = r.uint(n, 'limit')),
    labels: (n) => (labels = readStringMap(r, n, 'labels', labelKeys)),
    rules: (n) =>
      r.list(n, 'rules', (ruleNode) => {
        const read = readRule(r, ruleNode);
        rules.push(read.rule);
        rulePositions.push(read.positions);
      }),
  });
  return { group: { name, interval, queryOffset, limit, labels, rules }, positions: { at: r.positionOf(node), labels: labelKeys, rules: rulePositions } };
}

function readRule(r: YamlReader, node: YNode): { rule: RuleConfig; positions: GroupPositions['rules'][number] } {
  let record = '';
  let alert = '';
  let expr = '';
  let forMs = 0;
  let keepFiringFor = 0;
  let labels: Record<string, string> = {};
  let annotations: Record<string, string> = {};
  const at = r.positionOf(node);
  const positions: GroupPositions['rules'][number] = { at, record: undefined, alert: undefined, expr: undefined, labels: {}, annotations: {} };
  const where = (n: YNode, key: Node): Position => r.positionOf(n ?? key);
  r.struct(node, 'rulefmt.Rule', {
    record: (n, key) => {
      record = r.string(n, 'record');
      positions.record = where(n, key);
    },
    alert: (n, key) => {
      alert = r.string(n, 'alert');
      positions.alert = where(n, key);
    },
    expr: (n, key) => {
      expr = r.string(n, 'expr');
      positions.expr = where(n, key);
    },
    for: (n) => (forMs = readDuration(r, n, 'for')),
    keep_firing_for: (n) => (keepFiringFor = readDuration(r, n, 'keep_firing_for')),
    labels: (n) => (labels = readStringMap(r, n, 'labels', positions.labels)),
    annotations: (n) => (annotations = readStringMap(r, n, 'annotations', positions.annotations)),
  });
  return { rule: { record, alert, expr, for: forMs, keepFiringFor, labels, annotations }, positions };
}

/** A `name: value` mapping of strings; records where each key is for later messages. */
function readStringMap(r: YamlReader, node: YNode, what: string, keyPositions: Record<string, Position>): Record<string, string> {
  const out = Object.create(null) as Record<string, string>; // no prototype: a key like __proto__ stays a key
  for (const [key, value] of r.entries(node, what, (v, _k, keyNode) => ({ v, keyNode }))) {
    out[key] = r.string(value.v, `${what} value`);
    keyPositions[key] = r.positionOf(value.keyNode);
  }
  return out;
}
