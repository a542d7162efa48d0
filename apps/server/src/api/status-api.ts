import { hostname } from 'node:os';
import { ApiError, ErrorType, jsonString, type BuildInfoData } from '@pyrometer/http-api';
import { formatDuration } from '@pyrometer/model';
import type { ApiResult } from './respond.js';

/** Build facts reported by /api/v1/status/buildinfo and the build_info metric (the wire type the UI reads). */
export type BuildInfo = BuildInfoData;

/**
 * We report the upstream API level we implement as the version, with our own version as semver
 * build metadata: clients (Grafana's feature detection, promtool) gate behaviour on the version.
 * There is deliberately no `features` key, which Grafana reads as "Mimir".
 */
export function buildInfo(ourVersion: string): BuildInfo {
  return { version: `3.9.1+pyrometer.${ourVersion}`, revision: 'pyrometer', branch: 'main', buildUser: 'pyrometer', buildDate: '', goVersion: `node${process.versions.node}` };
}

/** The live facts the status endpoints read. */
export interface StatusSource {
  build: BuildInfo;
  /** Every flag with its value as text, as upstream lists them. */
  flags: ReadonlyMap<string, string>;
  /** The loaded configuration as YAML. */
  configYaml(): string;
  startTimeMs: number;
  reloadConfigSuccess(): boolean;
  lastConfigTimeMs(): number;
  corruptionCount(): number;
  /** e.g. "15d" or "15d or 512MiB". */
  storageRetention: string;
}

export function buildInfoData(source: StatusSource): ApiResult {
  return { data: JSON.stringify(source.build) };
}

export function flagsData(source: StatusSource): ApiResult {
  const sorted = [...source.flags.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { data: '{' + sorted.map(([k, v]) => `${jsonString(k)}:${jsonString(v)}`).join(',') + '}' };
}

export function configData(source: StatusSource): ApiResult {
  return { data: `{"yaml":${jsonString(source.configYaml())}}` };
}

export function runtimeInfoData(source: StatusSource, nowMs: number): ApiResult {
  return {
    data: JSON.stringify({
      startTime: new Date(source.startTimeMs).toISOString(),
      CWD: process.cwd(),
      hostname: hostname(),
      serverTime: new Date(nowMs).toISOString(),
      reloadConfigSuccess: source.reloadConfigSuccess(),
      lastConfigTime: new Date(source.lastConfigTimeMs()).toISOString(),
      corruptionCount: source.corruptionCount(),
      goroutineCount: 0,
      GOMAXPROCS: 1,
      GOMEMLIMIT: 0,
      GOGC: '',
      GODEBUG: '',
      storageRetention: source.storageRetention,
    }),
  };
}

/** Formats retention as upstream's runtime info does: `15d`, `512MiB`, or both joined by " or ". */
export function describeRetention(timeMs: number, sizeBytes: number): string {
  const parts: string[] = [];
  if (timeMs > 0) parts.push(formatDuration(timeMs));
  if (sizeBytes > 0) parts.push(formatBytes(sizeBytes));
  return parts.join(' or ');
}

function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && n % 1024 === 0 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n}${units[i]}`;
}

/** What /api/v1/status/tsdb reads. */
export interface TsdbStatusSource {
  headStatus(limit: number): unknown;
}

/** GET /api/v1/status/tsdb: head cardinality, `limit` (1–10000, default 10) entries per list. */
export function tsdbStatusData(source: TsdbStatusSource, limitText: string | undefined): ApiResult {
  let limit = 10;
  if (limitText !== undefined && limitText !== '') {
    limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 10_000) throw new ApiError(ErrorType.BadData, 'limit must be a positive number between 1 and 10000');
  }
  return { data: JSON.stringify(source.headStatus(limit)) };
}
