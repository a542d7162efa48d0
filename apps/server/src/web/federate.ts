import { ApiError, ErrorType } from '@pyrometer/http-api';
import { writeText, type Metric, type MetricFamily } from '@pyrometer/exposition';
import { Labels, METRIC_NAME_LABEL } from '@pyrometer/model';
import { ValueType, type Queryable } from '@pyrometer/storage';
import { matchParamValues, type QueryLimits } from '../api/limits.js';
import { parseMatchParams } from '../api/match-param.js';
import type { FormParams } from './request.js';

/** What /federate reads. */
export interface FederationDeps {
  queryable: Queryable;
  now: () => number;
  lookbackDelta: number;
  externalLabels: Readonly<Record<string, string>>;
  limits: QueryLimits;
}

/** The content type of the federation answer (text format 0.0.4). */
export const FEDERATE_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * GET /federate: for every series matching any `match[]`, its newest sample within the lookback
 * delta (stale series are left out), with the external labels added where the series lacks them,
 * as untyped families sorted by name in text format 0.0.4 with timestamps. A bad `match[]`
 * answers 400 with the reason as plain text, as upstream.
 */
export async function federate(deps: FederationDeps, form: FormParams): Promise<{ status: number; text: string }> {
  let matcherSets;
  try {
    matcherSets = parseMatchParams(matchParamValues(form, deps.limits), deps.limits.maxRegexLength);
  } catch (err) {
    return { status: 400, text: `${(err as Error).message}\n` };
  }
  const now = deps.now();
  const querier = await deps.queryable.querier(now - deps.lookbackDelta, now);
  try {
    const families = new Map<string, MetricFamily>();
    const seen = new Set<string>();
    const external = Object.entries(deps.externalLabels);
    for (const matchers of matcherSets) {
      const set = await querier.select(matchers, { sortSeries: true, hints: { start: now - deps.lookbackDelta, end: now } });
      for (const series of set.series) {
        const key = series.labels.key();
        if (seen.has(key)) continue;
        seen.add(key);
        const it = series.iterator();
        let t = NaN;
        let v = NaN;
        let stale = false;
        while (it.next() !== ValueType.None) {
          t = it.atT();
          v = it.atF();
          stale = it.atStale();
        }
        if (Number.isNaN(t) || stale) continue;
        const name = series.labels.metricName;
        const builder = series.labels.builder().delete(METRIC_NAME_LABEL);
        for (const [k, val] of external) if (!series.labels.has(k)) builder.set(k, val);
        const metric: Metric = { labels: builder.labels(), value: v, timestampMs: t };
        let family = families.get(name);
        if (family === undefined) families.set(name, (family = { name, help: undefined, type: 'untyped', metrics: [] }));
        family.metrics.push(metric);
      }
    }
    const sorted = [...families.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const f of sorted) f.metrics.sort((a, b) => Labels.compare(a.labels, b.labels));
    return { status: 200, text: writeText(sorted) };
  } catch (err) {
    if (err instanceof ApiError && err.type === ErrorType.BadData) return { status: 400, text: `${err.message}\n` };
    throw err;
  } finally {
    await querier.close();
  }
}
