import { flagBool, flagNumber, flagString, parseFlags as parseCommandLine, usage as cliUsage, type FlagSpec } from '@pyrometer/cli';

/** A parsed command line of the Pushgateway, upstream's flags plus the opt-in extensions. */
export interface PushgatewayFlags {
  listenAddress: string;
  telemetryPath: string;
  routePrefix: string;
  persistenceFile: string;
  persistenceIntervalMs: number;
  disableConsistencyCheck: boolean;
  enableAdminApi: boolean;
  enableLifecycle: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'logfmt' | 'json';
  /** Beyond upstream: drop groups not pushed for this long (ms); 0 disables expiry. */
  groupTtlMs: number;
  /** Beyond upstream: enable `DELETE /api/v1/groups?match[]=…`. */
  enableDeleteByMatchers: boolean;
  /** Beyond upstream: keep groups in Redis (redis://host:port/db) instead of memory. */
  redisUrl: string;
  redisKeyPrefix: string;
}

/** Every flag in `--help` order, with upstream's names and defaults (beyond-upstream ones say so). */
export const PUSHGATEWAY_FLAGS: readonly FlagSpec[] = [
  { name: 'web.listen-address', type: 'string', default: ':9091', help: 'Address to listen on for the web interface, API, and telemetry.' },
  { name: 'web.telemetry-path', type: 'string', default: '/metrics', help: 'Path under which to expose metrics.' },
  { name: 'web.route-prefix', type: 'string', default: '', help: 'Prefix for the internal routes of web endpoints.' },
  { name: 'web.enable-lifecycle', type: 'bool', default: 'false', help: 'Enable shutdown via HTTP request.' },
  { name: 'web.enable-admin-api', type: 'bool', default: 'false', help: 'Enable API endpoints for admin control actions.' },
  { name: 'persistence.file', type: 'string', default: '', help: 'File to persist metrics. If empty, metrics are only kept in memory.' },
  { name: 'persistence.interval', type: 'duration', default: '5m', help: 'The minimum interval at which to write out the persistence file.' },
  { name: 'push.disable-consistency-check', type: 'bool', default: 'false', help: 'Do not check consistency of pushed metrics. DANGEROUS.' },
  { name: 'log.level', type: 'enum', values: ['debug', 'info', 'warn', 'error'], default: 'info', help: 'Only log messages with the given severity or above.' },
  { name: 'log.format', type: 'enum', values: ['logfmt', 'json'], default: 'logfmt', help: 'Output format of log messages.' },
  { name: 'push.group-ttl', type: 'duration', default: '0s', help: 'Delete groups not pushed to for this long (0 = never; beyond upstream).' },
  { name: 'web.enable-delete-by-matchers', type: 'bool', default: 'false', help: 'Enable DELETE /api/v1/groups?match[]=<selector> (beyond upstream).' },
  { name: 'store.redis-url', type: 'string', default: '', help: 'Keep groups in Redis at this URL so replicas share them (beyond upstream).' },
  { name: 'store.redis-key-prefix', type: 'string', default: 'pyrometer:pushgateway:', help: 'Prefix of every Redis key the store uses.' },
  { name: 'version', type: 'bool', help: 'Show application version.' },
];

/** The flags' defaults, as a parsed command line without arguments. */
export function defaultFlags(): PushgatewayFlags {
  return parseFlags([]);
}

/**
 * Parses the command line (kingpin-style, via @pyrometer/cli): `--name=value`, `--name value`,
 * `--bool`, `--no-bool`. Throws the cli package's `FlagError` naming the flag.
 */
export function parseFlags(argv: readonly string[]): PushgatewayFlags {
  const f = parseCommandLine(PUSHGATEWAY_FLAGS, argv);
  return {
    listenAddress: flagString(f, 'web.listen-address')!,
    telemetryPath: flagString(f, 'web.telemetry-path')!,
    routePrefix: flagString(f, 'web.route-prefix')!,
    persistenceFile: flagString(f, 'persistence.file')!,
    persistenceIntervalMs: flagNumber(f, 'persistence.interval')!,
    disableConsistencyCheck: flagBool(f, 'push.disable-consistency-check'),
    enableAdminApi: flagBool(f, 'web.enable-admin-api'),
    enableLifecycle: flagBool(f, 'web.enable-lifecycle'),
    logLevel: flagString(f, 'log.level') as PushgatewayFlags['logLevel'],
    logFormat: flagString(f, 'log.format') as PushgatewayFlags['logFormat'],
    groupTtlMs: flagNumber(f, 'push.group-ttl')!,
    enableDeleteByMatchers: flagBool(f, 'web.enable-delete-by-matchers'),
    redisUrl: flagString(f, 'store.redis-url')!,
    redisKeyPrefix: flagString(f, 'store.redis-key-prefix')!,
  };
}

/** The `--help` text. */
export function usage(): string {
  return cliUsage('pyrometer-pushgateway', 'A Prometheus Pushgateway: accepts pushed metrics and exposes them for scraping.', PUSHGATEWAY_FLAGS);
}
