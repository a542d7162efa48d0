import { createHash } from 'node:crypto';
import { ApiError, ErrorType, jsonString, labelsJson, timeJson } from '@pyrometer/http-api';
import { formatGoFloat } from '@pyrometer/model';
import { AlertingRule, type Alert, type Group, type Rule, type RuleManager } from '@pyrometer/rules';
import type { FormParams } from '../web/request.js';
import type { Router } from '../web/router.js';
import { parseMatchParams } from './match-param.js';
import { apiRoute, type ApiResult } from './respond.js';

/** Registers GET /api/v1/rules and /api/v1/alerts over the rule manager. */
export function addRulesRoutes(router: Router, manager: RuleManager): void {
  router.add('GET', '/api/v1/rules', apiRoute(async (ctx, form) => rulesData(manager, ctx.url.searchParams, form)));
  router.add('GET', '/api/v1/alerts', apiRoute(async () => alertsData(manager)));
}

/** GET /api/v1/alerts: every pending or firing alert of every alerting rule. */
export function alertsData(manager: RuleManager): ApiResult {
  return { data: `{"alerts":[${manager.alertingRules().flatMap((r) => r.activeAlerts().map(alertJson)).join(',')}]}` };
}

/**
 * GET /api/v1/rules with upstream's filters: `type` (alert|record), `rule_name[]`, `rule_group[]`,
 * `file[]`, `match[]` (on rule labels), `exclude_alerts`, and pagination by `group_limit` with
 * `group_next_token` (a SHA-1 of `file;group`). Groups whose rules are all filtered out are left out.
 */
export function rulesData(manager: RuleManager, query: URLSearchParams, form: FormParams): ApiResult {
  const names = new Set(form.getAll('rule_name[]'));
  const groupNames = new Set(form.getAll('rule_group[]'));
  const files = new Set(form.getAll('file[]'));
  const matcherSets = parseMatchParams(form.getAll('match[]'));
  const type = (query.get('type') ?? '').toLowerCase();
  if (type !== '' && type !== 'alert' && type !== 'record') throw invalidParam('type', `not supported value ${JSON.stringify(type)}`);
  const excludeAlerts = parseExcludeAlerts(query.get('exclude_alerts') ?? '');
  const page = parsePagination(query);

  const groups: string[] = [];
  let nextToken: string | undefined;
  let foundToken = page === undefined || page.token === '';
  for (const group of manager.ruleGroups()) {
    if (!foundToken) {
      if (page!.token !== groupToken(group)) continue;
      foundToken = true;
    }
    if (groupNames.size > 0 && !groupNames.has(group.name)) continue;
    if (files.size > 0 && !files.has(group.file)) continue;
    const rules = group
      .rulesMatching(matcherSets)
      .filter((r) => names.size === 0 || names.has(r.name))
      .filter((r) => (r instanceof AlertingRule ? type !== 'record' : type !== 'alert'))
      .map((r) => ruleJson(r, excludeAlerts));
    if (rules.length === 0) continue;
    if (page !== undefined && groups.length === page.limit) {
      nextToken = groupToken(group);
      break;
    }
    groups.push(groupJson(group, rules));
  }
  if (!foundToken) throw invalidParam('group_next_token', `invalid group_next_token '${page!.token}'. were rule groups changed?`);
  return { data: `{"groups":[${groups.join(',')}]${nextToken === undefined ? '' : `,"groupNextToken":${jsonString(nextToken)}`}}` };
}

function groupJson(g: Group, rules: string[]): string {
  return `{"name":${jsonString(g.name)},"file":${jsonString(g.file)},"rules":[${rules.join(',')}],"interval":${g.interval / 1000},"limit":${g.limit},"evaluationTime":${g.evaluationTime / 1000},"lastEvaluation":${timeJson(g.lastEvaluation)}}`;
}

function ruleJson(r: Rule, excludeAlerts: boolean): string {
  const lastError = r.lastError === undefined ? '' : `,"lastError":${jsonString(r.lastError.message)}`;
  const tail = `"health":${jsonString(r.health)}${lastError},"evaluationTime":${r.evaluationDuration / 1000},"lastEvaluation":${timeJson(r.evaluationTimestamp)}`;
  if (!(r instanceof AlertingRule)) return `{"name":${jsonString(r.name)},"query":${jsonString(r.query)},"labels":${labelsJson(r.labels)},${tail},"type":"recording"}`;
  const alerts = excludeAlerts ? 'null' : `[${r.activeAlerts().map(alertJson).join(',')}]`;
  return (
    `{"state":${jsonString(r.state())},"name":${jsonString(r.name)},"query":${jsonString(r.query)},"duration":${r.holdDuration / 1000},"keepFiringFor":${r.keepFiringFor / 1000},` +
    `"labels":${labelsJson(r.labels)},"annotations":${recordJson(r.annotations)},"alerts":${alerts},${tail},"type":"alerting"}`
  );
}

/** One alert as upstream's API writes it; the value in Go's `'e'` format (`1e+00`). */
function alertJson(a: Alert): string {
  const keepFiring = a.keepFiringSince === undefined ? '' : `,"keepFiringSince":${timeJson(a.keepFiringSince)}`;
  return `{"labels":${labelsJson(a.labels)},"annotations":${recordJson(a.annotations)},"state":${jsonString(a.state)},"activeAt":${timeJson(a.activeAt)}${keepFiring},"value":${jsonString(formatGoFloat(a.value, 'e'))}}`;
}

/** A string map as Go marshals one: keys sorted, empty values kept. */
function recordJson(record: Readonly<Record<string, string>>): string {
  return `{${Object.keys(record)
    .sort()
    .map((k) => `${jsonString(k)}:${jsonString(record[k]!)}`)
    .join(',')}}`;
}

function groupToken(g: Group): string {
  return createHash('sha1').update(`${g.file};${g.name}`).digest('hex');
}

/** Go's strconv.ParseBool, as upstream reads `exclude_alerts`. */
function parseExcludeAlerts(value: string): boolean {
  const v = value.toLowerCase();
  if (v === '') return false;
  if (['1', 't', 'true'].includes(v)) return true;
  if (['0', 'f', 'false'].includes(v)) return false;
  throw invalidParam('exclude_alerts', `error converting exclude_alerts: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function parsePagination(query: URLSearchParams): { limit: number; token: string } | undefined {
  const limit = query.get('group_limit') ?? '';
  const token = query.get('group_next_token') ?? '';
  if (token !== '' && limit === '') throw invalidParam('group_next_token', 'group_limit needs to be present in order to paginate over the groups');
  if (limit === '') return undefined;
  if (!/^[+-]?\d+$/.test(limit) || Math.abs(Number(limit)) > 2 ** 31 - 1) throw invalidParam('group_limit', `group_limit needs to be a valid number: strconv.ParseInt: parsing ${JSON.stringify(limit)}: invalid syntax`);
  if (Number(limit) <= 0) throw invalidParam('group_limit', 'group_limit needs to be greater than 0');
  return { limit: Number(limit), token };
}

function invalidParam(name: string, problem: string): ApiError {
  return new ApiError(ErrorType.BadData, `invalid parameter ${JSON.stringify(name)}: ${problem}`);
}
