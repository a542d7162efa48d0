import { parse as parseYaml } from 'yaml';

/** The `metrics.reporter.<name>.*` keys of Flink's PrometheusPushGatewayReporter, with Flink's defaults. */
export interface ReporterConfig {
  /** Pushgateway base URL incl. scheme (and optional path prefix). */
  hostUrl: string;
  /** The `job` label value (prefix when `randomJobNameSuffix`). Default "". */
  jobName: string;
  /** Append 32 random lowercase hex characters per process start. Default true. */
  randomJobNameSuffix: boolean;
  /** DELETE the group on clean shutdown. Default true. */
  deleteOnShutdown: boolean;
  /** Extra grouping labels, from `k1=v1;k2=v2`. */
  groupingKey: Array<[string, string]>;
  /** Replace every label value character outside `[a-zA-Z0-9:_]` by `_`. Default true. */
  filterLabelValueCharacters: boolean;
  /** Push period in ms (`metrics.reporter.<name>.interval`). Default 10 s. */
  intervalMs: number;
}

export const PUSHGATEWAY_FACTORY = 'org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory';

export function defaultReporterConfig(): ReporterConfig {
  return { hostUrl: '', jobName: '', randomJobNameSuffix: true, deleteOnShutdown: true, groupingKey: [], filterLabelValueCharacters: true, intervalMs: 10_000 };
}

/** Raised for an unusable reporter setting; the message names the key and the value. */
export class ReporterConfigError extends Error {
  override readonly name = 'ReporterConfigError';
}

/**
 * Applies reporter keys (as strings, the way flink-conf.yaml holds them) over `base`. Unknown keys
 * are ignored, as Flink ignores them; bad values throw {@link ReporterConfigError}.
 */
export function applyReporterKeys(base: ReporterConfig, keys: Readonly<Record<string, string>>): ReporterConfig {
  const config = { ...base, groupingKey: [...base.groupingKey] };
  for (const [key, value] of Object.entries(keys)) {
    switch (key) {
      case 'hostUrl':
        if (!/^https?:\/\/[^/]+/.test(value)) throw new ReporterConfigError(`hostUrl: ${JSON.stringify(value)} is not an http(s) URL`);
        config.hostUrl = value.replace(/\/+$/, '');
        break;
      case 'host':
      case 'port':
        break; // deprecated keys; hostUrl is required here
      case 'jobName':
        config.jobName = value;
        break;
      case 'randomJobNameSuffix':
      case 'deleteOnShutdown':
      case 'filterLabelValueCharacters':
        config[key] = parseBoolean(key, value);
        break;
      case 'groupingKey':
        config.groupingKey = parseGroupingKey(value);
        break;
      case 'interval':
        config.intervalMs = parseFlinkDuration(key, value);
        break;
    }
  }
  return config;
}

/**
 * Reads the keys of the first PrometheusPushGatewayReporter in a flink-conf.yaml (flat
 * `metrics.reporter.<name>.<key>: value` lines, or Flink 1.19+'s nested config.yaml), or of the
 * reporter called `reporterName`.
 */
export function reporterKeysFromFlinkConf(yamlText: string, reporterName?: string): Record<string, string> {
  const flat: Record<string, string> = {};
  flatten(parseYaml(yamlText) ?? {}, '', flat);
  const names = new Set<string>();
  for (const key of Object.keys(flat)) {
    const m = /^metrics\.reporter\.([^.]+)\./.exec(key);
    if (m) names.add(m[1]!);
  }
  const name = reporterName ?? [...names].find((n) => flat[`metrics.reporter.${n}.factory.class`] === PUSHGATEWAY_FACTORY || flat[`metrics.reporter.${n}.class`]?.endsWith('PrometheusPushGatewayReporter'));
  if (name === undefined) throw new ReporterConfigError('flink-conf: no metrics.reporter.<name> uses PrometheusPushGatewayReporterFactory');
  const prefix = `metrics.reporter.${name}.`;
  const keys: Record<string, string> = {};
  for (const [key, value] of Object.entries(flat)) if (key.startsWith(prefix)) keys[key.slice(prefix.length)] = value;
  return keys;
}

function flatten(node: unknown, prefix: string, out: Record<string, string>): void {
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    for (const [k, v] of Object.entries(node)) flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else if (prefix !== '') out[prefix] = String(node);
}

function parseBoolean(key: string, value: string): boolean {
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new ReporterConfigError(`${key}: expected true or false, got ${JSON.stringify(value)}`);
}

/** `k1=v1;k2=v2`; entries without `=` or with an empty side are dropped, as Flink does (with a warning there). */
function parseGroupingKey(value: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) continue;
    out.push([part.slice(0, eq), part.slice(eq + 1)]);
  }
  return out;
}

const UNIT_MS: Record<string, number> = { ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1, s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000, min: 60_000, m: 60_000, minute: 60_000, minutes: 60_000, h: 3_600_000, hour: 3_600_000, hours: 3_600_000, d: 86_400_000, day: 86_400_000, days: 86_400_000 };

/** Flink's duration syntax: `10 SECONDS`, `10s`, `500 ms`, `1 min`; a bare number is milliseconds. */
export function parseFlinkDuration(key: string, value: string): number {
  const m = /^\s*(\d+)\s*([a-zA-Z]*)\s*$/.exec(value);
  const factor = m ? (m[2] === '' ? 1 : UNIT_MS[m[2]!.toLowerCase()]) : undefined;
  if (!m || factor === undefined || Number(m[1]) === 0) throw new ReporterConfigError(`${key}: ${JSON.stringify(value)} is not a positive Flink duration (e.g. "10 SECONDS", "500 ms")`);
  return Number(m[1]) * factor;
}
