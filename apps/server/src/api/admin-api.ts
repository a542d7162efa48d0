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
  /** Writes a snapshot under `dest` and returns the snapshot's directory name. */
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

/** POST|PUT /api/v1/admin/tsdb/snapshot: `skip_head`; answers `{"name": "<dir>"}` under `<tsdb>/snapshots`. */
export async function snapshot(admin: TsdbAdmin, enabled: boolean, tsdbPath: string, form: FormParams): Promise<ApiResult> {
  requireEnabled(enabled);
  const skipHead = /^(1|t|true|T|TRUE|True)$/.test(form.get('skip_head') ?? '');
  const name = await admin.snapshot(join(tsdbPath, 'snapshots'), !skipHead);
  return { data: `{"name":${jsonString(name)}}` };
}
