import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ApiError, ErrorType, jsonString, MAX_TIME_MS, MIN_TIME_MS, timeParam } from '@pyrometer/http-api';
import type { Matcher } from '@pyrometer/model';
import type { FormParams } from '../web/request.js';
import { parseMatchParams } from './match-param.js';
import type { ApiResult } from './respond.js';

/** The TSDB operations behind /api/v1/admin/tsdb/*. */
export interface TsdbAdmin {
  delete(mint: number, maxt: number, matchers: readonly Matcher[]): Promise<void>;
  cleanTombstones(): Promise<void>;
  /** Writes a snapshot into the directory `dest` (created) and returns it. */
  snapshot(dest: string, withHead: boolean): Promise<string>;
}

/** The admin endpoints answer upstream's `unavailable` error (HTTP 500) unless `--web.enable-admin-api`. */
function requireEnabled(enabled: boolean): void {
  if (!enabled) throw new ApiError(ErrorType.Unavailable, 'admin APIs disabled');
}

/** POST|PUT /api/v1/admin/tsdb/delete_series: tombstones for every `match[]` in [start, end]; 204. */
export async function deleteSeries(admin: TsdbAdmin, enabled: boolean, form: FormParams): Promise<undefined> {
  requireEnabled(enabled);
  const matches = form.getAll('match[]');
  if (matches.length === 0) throw new ApiError(ErrorType.BadData, 'no match[] parameter provided');
  const start = timeParam('start', form.get('start'), MIN_TIME_MS);
  const end = timeParam('end', form.get('end'), MAX_TIME_MS);
  for (const matchers of parseMatchParams(matches)) await admin.delete(start, end, matchers);
  return undefined;
}

/** POST|PUT /api/v1/admin/tsdb/clean_tombstones; 204. */
export async function cleanTombstones(admin: TsdbAdmin, enabled: boolean): Promise<undefined> {
  requireEnabled(enabled);
  await admin.cleanTombstones();
  return undefined;
}

/**
 * POST|PUT /api/v1/admin/tsdb/snapshot: `skip_head` (Go's ParseBool; anything else is 400). As
 * upstream, each snapshot gets its own directory `<tsdb>/snapshots/<YYYYMMDDTHHMMSSZ>-<16 hex>`
 * and the answer is `{"name": "<that name>"}` (not a path).
 */
export async function snapshot(admin: TsdbAdmin, enabled: boolean, tsdbPath: string, form: FormParams, now = new Date()): Promise<ApiResult> {
  requireEnabled(enabled);
  const skipHead = parseGoBool('skip_head', form.get('skip_head') ?? '');
  const name = snapshotName(now);
  await admin.snapshot(join(tsdbPath, 'snapshots', name), !skipHead);
  return { data: `{"name":${jsonString(name)}}` };
}

/** `20060102T150405Z` in UTC, a dash, and 63 random bits as 16 hex digits (upstream's name). */
export function snapshotName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const random = randomBytes(8);
  random[0] = random[0]! & 0x7f;
  return `${stamp}-${random.toString('hex')}`;
}

/** Go's strconv.ParseBool, '' meaning false; anything else is upstream's invalid-parameter error. */
function parseGoBool(name: string, value: string): boolean {
  if (value === '' || /^(0|f|F|false|FALSE|False)$/.test(value)) return false;
  if (/^(1|t|T|true|TRUE|True)$/.test(value)) return true;
  throw new ApiError(ErrorType.BadData, `invalid parameter ${JSON.stringify(name)}: unable to parse boolean: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
}
