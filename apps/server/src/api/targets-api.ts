import { ApiError, ErrorType, jsonString, labelsJson, limitParam } from '@pyrometer/http-api';
import { formatDuration, matchesAll } from '@pyrometer/model';
import type { DroppedTarget, Target, TargetMetadata } from '@pyrometer/scrape';
import type { FormParams } from '../web/request.js';
import { parseMatchParam } from './match-param.js';
import type { ApiResult } from './respond.js';

/** What the target endpoints read from the scrape manager. */
export interface TargetsSource {
  activeTargets(): Map<string, Target[]>;
  droppedTargets(): Map<string, DroppedTarget[]>;
  metadata(): TargetMetadata[];
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** GET /api/v1/targets: `state` (active|dropped|any) and `scrapePool` filters, upstream's shape. */
export function targets(source: TargetsSource, form: FormParams): ApiResult {
  const state = (form.get('state') ?? 'any').toLowerCase();
  const pool = form.get('scrapePool') ?? '';
  const inPool = (name: string) => pool === '' || name === pool;
  const active: string[] = [];
  const dropped: string[] = [];
  const droppedCounts: string[] = [];
  if (state === 'active' || state === 'any' || state === '') {
    for (const [name, list] of sorted(source.activeTargets())) if (inPool(name)) for (const t of list) active.push(activeTargetJson(t));
  }
  for (const [name, list] of sorted(source.droppedTargets())) {
    if (!inPool(name)) continue;
    droppedCounts.push(`${jsonString(name)}:${list.length}`);
    if (state === 'dropped' || state === 'any' || state === '') for (const t of list) dropped.push(`{"discoveredLabels":${labelsJson(t.discoveredLabels)},"scrapePool":${jsonString(t.scrapePool)}}`);
  }
  return { data: `{"activeTargets":[${active.join(',')}],"droppedTargets":[${dropped.join(',')}],"droppedTargetCounts":{${droppedCounts.join(',')}}}` };
}

/** GET /api/v1/scrape_pools. */
export function scrapePools(source: TargetsSource): ApiResult {
  const names = new Set([...source.activeTargets().keys(), ...source.droppedTargets().keys()]);
  return { data: `{"scrapePools":[${[...names].sort().map(jsonString).join(',')}]}` };
}

/** One metadata entry, from a scrape target or from remote write. */
export interface MetricMetadataEntry {
  metric: string;
  type: string;
  help: string;
  unit: string;
}

/** GET /api/v1/metadata: `{metric: [{type, help, unit}]}`, deduplicated across targets and remote write. */
export function metricMetadata(entries: Iterable<MetricMetadataEntry>, form: FormParams): ApiResult {
  const limit = limitParam(form.get('limit'));
  const perMetric = limitParam(form.get('limit_per_metric'));
  const only = form.get('metric') ?? '';
  const byMetric = new Map<string, Map<string, string>>();
  for (const m of entries) {
    if (only !== '' && m.metric !== only) continue;
    let entries = byMetric.get(m.metric);
    if (entries === undefined) {
      if (limit > 0 && byMetric.size >= limit) continue;
      byMetric.set(m.metric, (entries = new Map()));
    }
    if (perMetric > 0 && entries.size >= perMetric) continue;
    const json = `{"type":${jsonString(m.type)},"help":${jsonString(m.help)},"unit":${jsonString(m.unit)}}`;
    entries.set(json, json);
  }
  const parts = [...byMetric].map(([metric, entries]) => `${jsonString(metric)}:[${[...entries.values()].join(',')}]`);
  return { data: `{${parts.join(',')}}` };
}

/** GET /api/v1/targets/metadata: `match_target` (a label selector on target labels), `metric`, `limit`. */
export function targetMetadata(source: TargetsSource, form: FormParams): ApiResult {
  const matchTarget = form.get('match_target') ?? '';
  const matchers = matchTarget === '' ? [] : parseMatchParam(matchTarget);
  const metric = form.get('metric') ?? '';
  const limit = limitParam(form.get('limit'));
  const out: string[] = [];
  for (const m of source.metadata()) {
    if (limit > 0 && out.length >= limit) break;
    if (metric !== '' && m.metric !== metric) continue;
    if (!matchesAll(matchers, m.target.seriesLabels)) continue;
    const metricField = metric === '' ? `"metric":${jsonString(m.metric)},` : '';
    out.push(`{"target":${labelsJson(m.target.seriesLabels)},${metricField}"type":${jsonString(m.type)},"help":${jsonString(m.help)},"unit":${jsonString(m.unit)}}`);
  }
  if (out.length === 0 && (matchTarget !== '' || metric !== '')) throw new ApiError(ErrorType.NotFound, 'specified metadata not found');
  return { data: `[${out.join(',')}]` };
}

function activeTargetJson(t: Target): string {
  const lastScrape = t.lastScrape === undefined ? ZERO_TIME : new Date(t.lastScrape).toISOString();
  return (
    `{"discoveredLabels":${labelsJson(t.discoveredLabels)},"labels":${labelsJson(t.seriesLabels)},"scrapePool":${jsonString(t.scrapePool)},` +
    `"scrapeUrl":${jsonString(t.scrapeUrl)},"globalUrl":${jsonString(t.scrapeUrl)},"lastError":${jsonString(t.lastError)},"lastScrape":${jsonString(lastScrape)},` +
    `"lastScrapeDuration":${t.lastScrapeDuration},"health":${jsonString(t.health)},"scrapeInterval":${jsonString(formatDuration(t.scrapeInterval))},"scrapeTimeout":${jsonString(formatDuration(t.scrapeTimeout))}}`
  );
}

function sorted<T>(map: Map<string, T>): [string, T][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
