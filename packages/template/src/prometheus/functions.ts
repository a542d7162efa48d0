import { compareUtf8, parseDuration as parseModelDuration } from '@pyrometer/model';
import { functionError } from '../errors.js';
import { matchString, mustCompileRegexp, replaceAllString } from '../common/regexp.js';
import { titleCase, toLower, toUpper } from '../common/strings.js';
import { convertToFloat, floatToTime, humanizeDuration, humanizeTimestamp, scaleBelowOne } from '../common/time-helpers.js';
import { urlQueryEscape } from '../engine/escape.js';
import { templateFunction, type FuncMap, type NamedParamType } from '../engine/functions.js';
import { sprintf } from '../fmt/print.js';
import { GoDuration } from '../gotime/duration.js';
import { TypedString } from '../values.js';
import { isIP, joinHostPort, splitHostPort } from './host-port.js';
import { QueryResult, QuerySampleValue, toQueryResult, type QueryFunc } from './query-result.js';

/** What Prometheus's functions are bound to for one expansion. */
export interface PrometheusFunctionContext {
  /** Runs the `query` function's PromQL; without it `query` fails. */
  readonly query?: QueryFunc | undefined;
  /** The evaluation time in ms since the epoch: what `query` runs at and `now` returns. */
  readonly timeMs: number;
  /** The server's external URL (`--web.external-url`), for `externalURL` and `pathPrefix`. */
  readonly externalURL: string;
}

const QUERY_RESULT: NamedParamType = { typeName: 'template.queryResult', accepts: (v) => v instanceof QueryResult, nilable: true };
const SAMPLE: NamedParamType = { typeName: '*template.sample', accepts: (v) => v instanceof QuerySampleValue, nilable: true };

/**
 * Prometheus's template functions (`template/template.go`), formatted exactly as upstream formats
 * them: `query first label value strvalue args reReplaceAll safeHtml match title toUpper toLower
 * graphLink tableLink sortByLabel stripPort stripDomain humanize humanize1024 humanizeDuration
 * humanizePercentage humanizeTimestamp toTime toDuration now pathPrefix externalURL
 * parseDuration urlQueryEscape`.
 */
export function prometheusFunctions(ctx: PrometheusFunctionContext): FuncMap {
  return { ...CONTEXT_FREE_FUNCTIONS, ...contextFunctions(ctx) };
}

/** The functions that depend on the expansion's context (query, time, external URL). */
export function contextFunctions(ctx: PrometheusFunctionContext): FuncMap {
  return {
    query: templateFunction(['string'], async (q: string) => {
      if (ctx.query === undefined) throw functionError('no query function is available');
      return toQueryResult(await ctx.query(q, ctx.timeMs));
    }),
    now: templateFunction([], () => ctx.timeMs / 1000),
    pathPrefix: templateFunction([], () => urlPath(ctx.externalURL)),
    externalURL: templateFunction([], () => ctx.externalURL),
  };
}

const CONTEXT_FREE_FUNCTIONS: FuncMap = {
  first: templateFunction([QUERY_RESULT], (v: QueryResult | undefined) => {
    if (v !== undefined && v.length > 0) return v[0];
    throw functionError('first() called on vector with no elements');
  }),
  label: templateFunction(['string', SAMPLE], (label: string, s: QuerySampleValue | undefined) => sampleOrPanic(s).Labels.get(label) ?? ''),
  value: templateFunction([SAMPLE], (s: QuerySampleValue | undefined) => sampleOrPanic(s).Value),
  strvalue: templateFunction([SAMPLE], (s: QuerySampleValue | undefined) => sampleOrPanic(s).Labels.get('__value__') ?? ''),
  args: templateFunction([], (...args: unknown[]) => Object.fromEntries(args.map((a, i) => [`arg${i}`, a])), 'any'),
  reReplaceAll: templateFunction(['string', 'string', 'string'], (pattern: string, repl: string, text: string) => replaceAllString(mustCompileRegexp(pattern), text, repl)),
  safeHtml: templateFunction(['string'], (text: string) => new TypedString(text, 'template.HTML')),
  match: templateFunction(['string', 'string'], matchString),
  title: templateFunction(['string'], (s: string) => titleCase(s, true)),
  toUpper: templateFunction(['string'], toUpper),
  toLower: templateFunction(['string'], toLower),
  graphLink: templateFunction(['string'], (expr: string) => `/graph?g0.expr=${urlQueryEscape(expr)}&g0.tab=0`),
  tableLink: templateFunction(['string'], (expr: string) => `/graph?g0.expr=${urlQueryEscape(expr)}&g0.tab=1`),
  sortByLabel: templateFunction(['string', QUERY_RESULT], (label: string, v: QueryResult | undefined) =>
    (v ?? new QueryResult()).sort((a, b) => compareUtf8(a.Labels.get(label) ?? '', b.Labels.get(label) ?? '')),
  ),
  stripPort: templateFunction(['string'], (hostPort: string) => splitHostPort(hostPort)?.host ?? hostPort),
  stripDomain: templateFunction(['string'], stripDomain),
  humanize: templateFunction(['any'], (i: unknown) => humanize(convertToFloat(i))),
  humanize1024: templateFunction(['any'], (i: unknown) => humanize1024(convertToFloat(i))),
  humanizeDuration: templateFunction(['any'], humanizeDuration),
  humanizePercentage: templateFunction(['any'], (i: unknown) => sprintf('%.4g%%', [convertToFloat(i) * 100])),
  humanizeTimestamp: templateFunction(['any'], humanizeTimestamp),
  toTime: templateFunction(['any'], (i: unknown) => {
    const t = floatToTime(convertToFloat(i));
    if (t === 'nan-or-inf') throw functionError('value is NaN or Inf');
    return t;
  }),
  toDuration: templateFunction(['any'], (i: unknown) => GoDuration.fromSeconds(convertToFloat(i))),
  parseDuration: templateFunction(['string'], (d: string) => parseDurationAllowNegative(d) / 1000),
  urlQueryEscape: templateFunction(['string'], urlQueryEscape),
};

/** Go dereferences a nil sample pointer with a panic, which the template reports as an error. */
function sampleOrPanic(s: QuerySampleValue | undefined): QuerySampleValue {
  if (s === undefined) throw functionError('runtime error: invalid memory address or nil pointer dereference');
  return s;
}

function stripDomain(hostPort: string): string {
  const split = splitHostPort(hostPort);
  const host = split?.host ?? hostPort;
  if (isIP(host)) return hostPort;
  const short = host.split('.')[0]!;
  return split !== undefined && split.port !== '' ? joinHostPort(short, split.port) : short;
}

/** `%.4g` with SI prefixes: k M G … for |v| ≥ 1, m u n … below. */
export function humanize(value: number): string {
  let v = value;
  if (v === 0 || !Number.isFinite(v)) return sprintf('%.4g', [v]);
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return sprintf('%.4g%s', [v, prefix]);
  }
  return sprintf('%.4g%s', scaleBelowOne(v));
}

/** `%.4g` with binary prefixes ki Mi Gi … for |v| > 1. */
export function humanize1024(value: number): string {
  let v = value;
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return sprintf('%.4g', [v]);
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return sprintf('%.4g%s', [v, prefix]);
}

/** `model.ParseDurationAllowNegative`, in milliseconds. */
function parseDurationAllowNegative(d: string): number {
  try {
    if (d.startsWith('-')) return -parseModelDuration(d.slice(1));
    return parseModelDuration(d);
  } catch (err) {
    throw functionError(err instanceof Error ? err.message : String(err), err);
  }
}

/** The path of a URL as Go's `url.URL.Path` holds it: decoded, empty when the URL has none. */
function urlPath(url: string): string {
  const m = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?:\/\/[^/?#]*)?([^?#]*)/.exec(url);
  const raw = m?.[1] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
