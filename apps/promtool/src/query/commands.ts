import { FlagError } from '@pyrometer/cli';
import type { PromtoolIO } from '../io.js';
import { parseTime } from '../time.js';
import { PromtoolError } from '../errors.js';
import { ApiClient, formatApiTime } from './api-client.js';
import type { Printer, QueryData } from './print.js';

const NINE_THOUSAND_NINE_HUNDRED_NINETY_NINE_HOURS = 9999 * 3_600_000;

/** A client for `server`; an unusable URL is a command-line mistake, as kingpin's URL arguments make it. */
export function apiClient(server: string, headers: Readonly<Record<string, string>> = {}): ApiClient {
  try {
    return new ApiClient(server, headers);
  } catch {
    throw new FlagError(`invalid URL ${JSON.stringify(server)} for argument 'server'`);
  }
}

/** `query instant`: evaluates `expr` at `--time` (default now). */
export async function queryInstant(client: ApiClient, expr: string, time: string | undefined, printer: Printer, io: PromtoolIO): Promise<number> {
  const params = new URLSearchParams({ query: expr });
  const at = parseOr(time, Date.now(), 'error parsing evaluation time', io);
  if (at === undefined) return 1;
  params.set('time', formatApiTime(at));
  return run(io, async () => io.out(printer.value((await client.post('/api/v1/query', params)).data as QueryData)));
}

/** `query range`: `--end` defaults to now, `--start` to five minutes before it, `--step` to a 250th of the range (at least 1s). */
export async function queryRange(client: ApiClient, expr: string, range: { start?: string | undefined; end?: string | undefined; stepMs?: number | undefined }, printer: Printer, io: PromtoolIO): Promise<number> {
  const end = parseOr(range.end, Date.now(), 'error parsing end time', io);
  if (end === undefined) return 1;
  const start = parseOr(range.start, end - 300_000, 'error parsing start time', io);
  if (start === undefined) return 1;
  if (start >= end) {
    io.err('start time is not before end time\n');
    return 1;
  }
  const step = range.stepMs || Math.max(Math.floor((end - start) / 1000 / 250), 1) * 1000;
  const params = new URLSearchParams({ query: expr, start: formatApiTime(start), end: formatApiTime(end), step: String(step / 1000) });
  return run(io, async () => io.out(printer.value((await client.post('/api/v1/query_range', params)).data as QueryData)));
}

/** `query series`: the series matching any `--match` selector, between `--start` and `--end` (default ±9999h). */
export async function querySeries(client: ApiClient, matchers: readonly string[], range: { start?: string | undefined; end?: string | undefined }, printer: Printer, io: PromtoolIO): Promise<number> {
  const params = matcherParams(matchers, range, io);
  if (params === undefined) return 1;
  return run(io, async () => io.out(printer.series((await client.post('/api/v1/series', params)).data as Record<string, string>[])));
}

/** `query labels`: the values of label `name`, optionally restricted by `--match`; warnings go to standard error. */
export async function queryLabels(client: ApiClient, name: string, matchers: readonly string[], range: { start?: string | undefined; end?: string | undefined }, printer: Printer, io: PromtoolIO): Promise<number> {
  const params = matcherParams(matchers, range, io);
  if (params === undefined) return 1;
  return run(io, async () => {
    const { data, warnings } = await client.get(`/api/v1/label/${encodeURIComponent(name)}/values`, params);
    for (const w of warnings) io.err(`query warning: ${w}\n`);
    io.out(printer.labelValues(data as string[]));
  });
}

function matcherParams(matchers: readonly string[], range: { start?: string | undefined; end?: string | undefined }, io: PromtoolIO): URLSearchParams | undefined {
  const now = Date.now();
  const start = parseOr(range.start, now - NINE_THOUSAND_NINE_HUNDRED_NINETY_NINE_HOURS, 'error parsing start time', io);
  const end = start === undefined ? undefined : parseOr(range.end, now + NINE_THOUSAND_NINE_HUNDRED_NINETY_NINE_HOURS, 'error parsing end time', io);
  if (start === undefined || end === undefined) return undefined;
  const params = new URLSearchParams();
  for (const m of matchers) params.append('match[]', m);
  params.set('start', formatApiTime(start));
  params.set('end', formatApiTime(end));
  return params;
}

/** A time flag's value in ms, `fallback` when absent; a bad value is reported (`<what>: …`) and gives undefined. */
function parseOr(text: string | undefined, fallback: number, what: string, io: PromtoolIO): number | undefined {
  if (text === undefined || text === '') return fallback;
  try {
    return parseTime(text);
  } catch (err) {
    io.err(`${what}: ${(err as Error).message}\n`);
    return undefined;
  }
}

/** Runs an API call; a failure is upstream's `query error: …` line and exit code 1. */
async function run(io: PromtoolIO, call: () => Promise<void>): Promise<number> {
  try {
    await call();
    return 0;
  } catch (err) {
    if (err instanceof PromtoolError && err.detail.trim() !== '') io.err(`query error: ${err.message} (detail: ${err.detail.trim()})\n`);
    else io.err(`query error: ${(err as Error).message}\n`);
    return 1;
  }
}
