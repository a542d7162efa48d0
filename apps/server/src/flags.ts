import { hostname } from 'node:os';
import { flagBool, flagNumber, flagString, type FlagSpec, type ParsedFlags } from '@pyrometer/cli';
import { formatDuration } from '@pyrometer/model';

/** Upstream prometheus flags we implement, with upstream's names and defaults. */
export const SERVER_FLAGS: readonly FlagSpec[] = [
  { name: 'config.file', type: 'string', default: 'prometheus.yml', help: 'Prometheus configuration file path.' },
  { name: 'web.listen-address', type: 'string', default: '0.0.0.0:9090', help: 'Address to listen on for UI, API, and telemetry.' },
  { name: 'web.config.file', type: 'string', default: '', help: 'Path to configuration file that can enable TLS or authentication.' },
  { name: 'web.external-url', type: 'string', default: '', help: 'The URL under which Prometheus is externally reachable.' },
  { name: 'web.route-prefix', type: 'string', default: '', help: 'Prefix for the internal routes of web endpoints. Defaults to path of --web.external-url.' },
  { name: 'web.enable-lifecycle', type: 'bool', default: 'false', help: 'Enable shutdown and reload via HTTP request.' },
  { name: 'web.enable-admin-api', type: 'bool', default: 'false', help: 'Enable API endpoints for admin control actions.' },
  { name: 'web.enable-remote-write-receiver', type: 'bool', default: 'false', help: 'Enable API endpoint accepting remote write requests.' },
  { name: 'web.cors.origin', type: 'string', default: '.*', help: 'Regex for CORS origin. It is fully anchored.' },
  { name: 'web.max-request-body-bytes', type: 'bytes', default: '32MB', help: 'Largest request body the server reads (remote write, form posts).' },
  { name: 'storage.tsdb.path', type: 'string', default: 'data/', help: 'Base path for metrics storage.' },
  { name: 'storage.tsdb.retention.time', type: 'duration', help: 'How long to retain samples in storage. Defaults to 15d when no retention is set.' },
  { name: 'storage.tsdb.retention.size', type: 'bytes', default: '0B', help: 'Maximum number of bytes that can be stored for blocks. 0 disables it.' },
  { name: 'storage.tsdb.no-lockfile', type: 'bool', default: 'false', help: 'Do not create a lockfile in the data directory (a second server on the same directory is then not refused).' },
  { name: 'storage.tsdb.min-block-duration', type: 'duration', default: '2h', help: 'Minimum duration of a data block before being persisted.' },
  { name: 'storage.tsdb.max-block-duration', type: 'duration', help: 'Maximum duration compacted blocks may span. For use in testing. (Defaults to 10% of the retention period.)' },
  { name: 'query.timeout', type: 'duration', default: '2m', help: 'Maximum time a query may take before being aborted.' },
  { name: 'query.max-samples', type: 'int', default: '50000000', help: 'Maximum number of samples a single query can load into memory.' },
  { name: 'query.lookback-delta', type: 'duration', default: '5m', help: 'The maximum lookback duration for retrieving metrics during expression evaluations and federation.' },
  { name: 'query.max-concurrency', type: 'int', default: '20', help: 'Maximum number of queries executed concurrently.' },
  { name: 'query.workers', type: 'int', default: '0', help: 'Query worker threads (parse, evaluate, encode off the ingestion thread); 0 means one per CPU core plus one. Pyrometer only.' },
  { name: 'query.worker-niceness', type: 'int', default: '10', help: 'Scheduling niceness of the query worker threads (Linux), so scrapes and health checks win the CPU; 0 keeps the process priority. Above 0, one worker stays at the process priority for queries whose last run took under 6 ms of CPU while no other query waits, and is niced if one runs past 100 ms. Pyrometer only.' },
  { name: 'query.worker-warm-up', type: 'bool', default: 'true', help: 'A query worker runs a few synthetic queries once it is idle after its first task, so later queries do not pay for compiling the engine. Pyrometer only.' },
  { name: 'query.max-length', type: 'int', default: '1048576', help: 'Longest query or match[] selector accepted, in characters; 0 for no limit. Pyrometer only.' },
  { name: 'query.max-regex-length', type: 'int', default: '262144', help: 'Longest regular expression of a label matcher, in characters; 0 for no limit. Pyrometer only.' },
  { name: 'alertmanager.notification-queue-capacity', type: 'int', default: '10000', help: 'The capacity of the queue for pending Alertmanager notifications.' },
  { name: 'alertmanager.notification-batch-size', type: 'int', default: '256', help: 'The maximum number of notifications per batch to send to the Alertmanager.' },
  { name: 'alertmanager.drain-notification-queue-on-shutdown', type: 'bool', default: 'true', help: 'Send any outstanding Alertmanager notifications when shutting down. If false, any outstanding Alertmanager notifications will be dropped when shutting down.' },
  { name: 'rules.alert.for-outage-tolerance', type: 'duration', default: '1h', help: 'How old the saved `for` state of alerts may be and still be restored after a restart.' },
  { name: 'rules.alert.for-grace-period', type: 'duration', default: '10m', help: 'Least time a restored alert waits before it fires again (for alerts whose `for` is at least this long).' },
  { name: 'rules.alert.resend-delay', type: 'duration', default: '1m', help: 'Least time between two sends of the same firing alert to Alertmanager.' },
  { name: 'rules.max-concurrent-rule-evals', type: 'int', default: '4', help: 'Most independent rules evaluated at the same time, over all groups (with --enable-feature=concurrent-rule-eval).' },
  { name: 'enable-feature', type: 'string', default: '', help: 'Comma separated feature names to enable: promql-experimental-functions, promql-duration-expr, promql-extended-range-selectors, promql-delayed-name-removal, concurrent-rule-eval.' },
  { name: 'log.level', type: 'enum', values: ['debug', 'info', 'warn', 'error'], default: 'info', help: 'Only log messages with the given severity or above.' },
  { name: 'log.format', type: 'enum', values: ['logfmt', 'json'], default: 'logfmt', help: 'Output format of log messages.' },
  { name: 'version', type: 'bool', help: 'Show application version.' },
];

const DEFAULT_RETENTION_MS = 15 * 24 * 3_600_000;

/** The server's settings, derived from the flags. Times in ms, sizes in bytes. */
export interface ServerOptions {
  configFile: string;
  listenAddress: { host: string; port: number };
  webConfigFile: string;
  externalUrl: string;
  routePrefix: string;
  enableLifecycle: boolean;
  enableAdminApi: boolean;
  enableRemoteWriteReceiver: boolean;
  corsOrigin: string;
  maxRequestBodyBytes: number;
  tsdbPath: string;
  retentionTime: number;
  retentionSize: number;
  minBlockDuration: number;
  /** Largest compacted block; upstream's default is 10% of the time retention, at most 31d. */
  maxBlockDuration: number;
  noLockfile: boolean;
  queryTimeout: number;
  queryMaxSamples: number;
  lookbackDelta: number;
  queryMaxConcurrency: number;
  /** Query worker threads; 0 means one per CPU core plus one. */
  queryWorkers: number;
  /** Niceness the query worker threads give themselves (Linux), 0–19. */
  queryWorkerNiceness: number;
  /** Whether query workers warm up with synthetic queries at start. */
  queryWorkerWarmUp: boolean;
  queryMaxLength: number;
  queryMaxRegexLength: number;
  /** `for` state older than this is not restored after a restart. */
  ruleForOutageTolerance: number;
  ruleForGracePeriod: number;
  ruleResendDelay: number;
  ruleMaxConcurrentEvals: number;
  /** `--alertmanager.*`: queue capacity, batch size, drain on shutdown. */
  notifier: { queueCapacity: number; batchSize: number; drainOnShutdown: boolean };
  features: Set<string>;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'logfmt' | 'json';
}

/** Turns parsed flags into options; throws naming the flag when a value cannot be used. */
export function serverOptions(flags: ParsedFlags): ServerOptions {
  const listen = flagString(flags, 'web.listen-address')!;
  const colon = listen.lastIndexOf(':');
  const port = Number(listen.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--web.listen-address: ${JSON.stringify(listen)} is not host:port`);
  const host = listen.slice(0, colon).replace(/^\[|\]$/g, '') || '0.0.0.0';
  const externalUrl = externalUrlOf(flagString(flags, 'web.external-url')!, port);
  const routePrefix = (flagString(flags, 'web.route-prefix') || new URL(externalUrl).pathname).replace(/\/+$/, '');
  const retentionSize = flagNumber(flags, 'storage.tsdb.retention.size')!;
  const retentionTime = flagNumber(flags, 'storage.tsdb.retention.time') ?? (retentionSize > 0 ? 0 : DEFAULT_RETENTION_MS);
  return {
    configFile: flagString(flags, 'config.file')!,
    listenAddress: { host, port },
    webConfigFile: flagString(flags, 'web.config.file')!,
    externalUrl,
    routePrefix,
    enableLifecycle: flagBool(flags, 'web.enable-lifecycle'),
    enableAdminApi: flagBool(flags, 'web.enable-admin-api'),
    enableRemoteWriteReceiver: flagBool(flags, 'web.enable-remote-write-receiver'),
    corsOrigin: flagString(flags, 'web.cors.origin')!,
    maxRequestBodyBytes: flagNumber(flags, 'web.max-request-body-bytes')!,
    tsdbPath: flagString(flags, 'storage.tsdb.path')!,
    retentionTime,
    retentionSize,
    minBlockDuration: flagNumber(flags, 'storage.tsdb.min-block-duration')!,
    maxBlockDuration: flagNumber(flags, 'storage.tsdb.max-block-duration') ?? defaultMaxBlockDuration(retentionTime),
    noLockfile: flagBool(flags, 'storage.tsdb.no-lockfile'),
    queryTimeout: flagNumber(flags, 'query.timeout')!,
    queryMaxSamples: flagNumber(flags, 'query.max-samples')!,
    lookbackDelta: flagNumber(flags, 'query.lookback-delta')!,
    queryMaxConcurrency: flagNumber(flags, 'query.max-concurrency')!,
    queryWorkers: nonNegative(flags, 'query.workers'),
    queryWorkerNiceness: niceness(flags, 'query.worker-niceness'),
    queryWorkerWarmUp: flagBool(flags, 'query.worker-warm-up'),
    queryMaxLength: nonNegative(flags, 'query.max-length'),
    queryMaxRegexLength: nonNegative(flags, 'query.max-regex-length'),
    ruleForOutageTolerance: flagNumber(flags, 'rules.alert.for-outage-tolerance')!,
    ruleForGracePeriod: flagNumber(flags, 'rules.alert.for-grace-period')!,
    ruleResendDelay: flagNumber(flags, 'rules.alert.resend-delay')!,
    ruleMaxConcurrentEvals: flagNumber(flags, 'rules.max-concurrent-rule-evals')!,
    notifier: {
      queueCapacity: positiveInt(flags, 'alertmanager.notification-queue-capacity'),
      batchSize: positiveInt(flags, 'alertmanager.notification-batch-size'),
      drainOnShutdown: flagBool(flags, 'alertmanager.drain-notification-queue-on-shutdown'),
    },
    features: new Set((flagString(flags, 'enable-feature') ?? '').split(',').map((f) => f.trim()).filter(Boolean)),
    logLevel: flagString(flags, 'log.level') as ServerOptions['logLevel'],
    logFormat: flagString(flags, 'log.format') as ServerOptions['logFormat'],
  };
}

function niceness(flags: ParsedFlags, name: string): number {
  const v = nonNegative(flags, name);
  if (v > 19) throw new Error(`--${name}: ${v} is above 19, the lowest priority`);
  return v;
}

function nonNegative(flags: ParsedFlags, name: string): number {
  const v = flagNumber(flags, name)!;
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name}: ${v} is not a non-negative integer`);
  return v;
}

/** Upstream's default for `--storage.tsdb.max-block-duration`: 31d, or a tenth of a smaller time retention. */
function defaultMaxBlockDuration(retentionTime: number): number {
  const max = 31 * 24 * 3_600_000;
  return retentionTime > 0 && retentionTime / 10 < max ? retentionTime / 10 : max;
}

/**
 * `--web.external-url` as upstream's `computeExternalURL` makes it: when empty,
 * `http://<hostname>:<port>/`; quotes around it are refused; the path loses trailing slashes.
 * Throws naming the flag when it is not a URL.
 */
function externalUrlOf(flag: string, port: number): string {
  if (/^["']|["']$/.test(flag)) throw new Error('--web.external-url: URL must not begin or end with quotes');
  let url: URL;
  try {
    url = new URL(flag || `http://${hostname()}:${port}/`);
  } catch {
    throw new Error(`--web.external-url: ${JSON.stringify(flag)} is not a URL`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}${url.search}`;
}

function positiveInt(flags: ParsedFlags, name: string): number {
  const value = flagNumber(flags, name)!;
  if (!(value > 0)) throw new Error(`--${name} must be greater than 0, got ${value}`);
  return value;
}

/** Flag values as text for /api/v1/status/flags (every flag, defaults included). */
export function flagsAsText(flags: ParsedFlags): Map<string, string> {
  const out = new Map<string, string>();
  for (const spec of SERVER_FLAGS) {
    if (spec.name === 'version') continue;
    const v = flags.values.get(spec.name);
    out.set(spec.name, v === undefined ? '' : spec.type === 'duration' ? formatDuration(v as number) : spec.type === 'bytes' ? `${v}B` : String(v));
  }
  return out;
}
