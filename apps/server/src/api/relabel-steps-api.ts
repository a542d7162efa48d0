import { ApiError, ErrorType, jsonString, labelsJson } from '@pyrometer/http-api';
import { Labels, relabelSteps, type RelabelConfig, type RelabelRule } from '@pyrometer/model';
import type { FormParams } from '../web/request.js';
import type { ApiResult } from './respond.js';

/** What the relabel-steps endpoint reads from the scrape manager. */
export interface RelabelRulesSource {
  targetRelabelRules(scrapePool: string): readonly RelabelRule[] | undefined;
}

/**
 * GET /api/v1/targets/relabel_steps: runs a scrape pool's `relabel_configs` over the labels given
 * as a JSON object in `labels`, one step per rule — the rule, the labels after it (empty once
 * dropped) and whether the set is still kept — so the UI can show why a target ended up as it did.
 */
export function targetRelabelSteps(source: RelabelRulesSource, form: FormParams): ApiResult {
  const pool = form.get('scrapePool') ?? '';
  if (pool === '') throw new ApiError(ErrorType.BadData, 'no scrapePool parameter provided');
  const labelsParam = form.get('labels') ?? '';
  if (labelsParam === '') throw new ApiError(ErrorType.BadData, 'no labels parameter provided');
  const labels = parseLabelsJson(labelsParam);
  const rules = source.targetRelabelRules(pool);
  if (rules === undefined) throw new ApiError(ErrorType.BadData, `error retrieving scrape config: scrape pool ${jsonString(pool)} not found`);
  const steps = relabelSteps(labels, rules).map((s) => `{"rule":${ruleJson(s.rule)},"output":${labelsJson(s.output)},"keep":${s.keep}}`);
  return { data: `{"steps":[${steps.join(',')}]}` };
}

function parseLabelsJson(text: string): Labels {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiError(ErrorType.BadData, `error parsing labels: ${(err as Error).message}`, { cause: err });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ApiError(ErrorType.BadData, 'error parsing labels: expected a JSON object of label names to values');
  const entries = Object.entries(value);
  const bad = entries.find(([, v]) => typeof v !== 'string');
  if (bad !== undefined) throw new ApiError(ErrorType.BadData, `error parsing labels: the value of label ${jsonString(bad[0])} is not a string`);
  return Labels.from(Object.fromEntries(entries) as Record<string, string>);
}

/** A rule in upstream's JSON field names and order; empty optional fields are left out as Go's omitempty does. */
function ruleJson(rule: RelabelConfig): string {
  const fields: string[] = [];
  if (rule.sourceLabels.length > 0) fields.push(`"source_labels":[${rule.sourceLabels.map(jsonString).join(',')}]`);
  if (rule.separator !== '') fields.push(`"separator":${jsonString(rule.separator)}`);
  fields.push(`"regex":${jsonString(rule.regex)}`);
  if (rule.modulus !== 0) fields.push(`"modulus":${rule.modulus}`);
  if (rule.targetLabel !== '') fields.push(`"target_label":${jsonString(rule.targetLabel)}`);
  if (rule.replacement !== '') fields.push(`"replacement":${jsonString(rule.replacement)}`);
  fields.push(`"action":${jsonString(rule.action)}`);
  return `{${fields.join(',')}}`;
}
