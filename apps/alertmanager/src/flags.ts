import { FlagError, flagBool, flagNumber, flagString, parseFlags as parseCommandLine, usage as cliUsage, type FlagSpec } from '@pyrometer/cli';

/** A parsed command line of the Alertmanager (upstream's flags; see the README for those without effect). */
export interface AlertmanagerFlags {
  configFile: string;
  storagePath: string;
  retentionMs: number;
  maintenanceIntervalMs: number;
  maxSilences: number;
  maxSilenceSizeBytes: number;
  alertGcIntervalMs: number;
  listenAddress: string;
  webConfigFile: string;
  externalUrl: string;
  routePrefix: string;
  /** `--enable-feature` names. */
  features: string[];
  /** `--cluster.listen-address`; gossip is not implemented, so only its emptiness is looked at. */
  clusterListenAddress: string;
  clusterPeer: string;
  /** Beyond upstream: share alerts, silences, the notification log and group timers with other replicas through Redis. */
  redisUrl: string;
  redisKeyPrefix: string;
  /** How long a replica's claim on a notification outlives the replica, ms. */
  redisClaimTtlMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'logfmt' | 'json';
  systemdSocket: boolean;
}

const cluster = (name: string, type: FlagSpec['type'], dflt: string | undefined, help: string): FlagSpec => ({ name: `cluster.${name}`, type, ...(dflt === undefined ? {} : { default: dflt }), help: `${help} (accepted; replicas share state through Redis instead of gossip)` });

/** Every flag upstream 0.28 has, in its `--help` order. */
export const ALERTMANAGER_FLAGS: readonly FlagSpec[] = [
  { name: 'config.file', type: 'string', default: 'alertmanager.yml', help: 'Alertmanager configuration file name.' },
  { name: 'storage.path', type: 'string', default: 'data/', help: 'Base path for data storage.' },
  { name: 'data.retention', type: 'duration', default: '120h', help: 'How long to keep data for.' },
  { name: 'data.maintenance-interval', type: 'duration', default: '15m', help: 'Interval between garbage collection and snapshotting to disk of the silences and the notification logs.' },
  { name: 'silences.max-silences', type: 'int', default: '0', help: 'Maximum number of silences, including expired silences. If negative or zero, no limit is set.' },
  { name: 'silences.max-silence-size-bytes', type: 'int', default: '0', help: 'Maximum silence size in bytes. If negative or zero, no limit is set.' },
  { name: 'alerts.gc-interval', type: 'duration', default: '30m', help: 'Interval between alert GC.' },
  { name: 'web.listen-address', type: 'string', default: ':9093', help: 'Address on which to expose metrics and web interface.' },
  { name: 'web.systemd-socket', type: 'bool', default: 'false', help: 'Use systemd socket activation listeners instead of port listeners (Linux only; not supported, refused).' },
  { name: 'web.config.file', type: 'string', default: '', help: 'Path to configuration file that can enable TLS or authentication.' },
  { name: 'web.external-url', type: 'string', default: '', help: 'The URL under which Alertmanager is externally reachable (for example, if Alertmanager is served via a reverse proxy). Used for generating relative and absolute links back to Alertmanager itself. If the URL has a path portion, it will be used to prefix all HTTP endpoints served by Alertmanager. If omitted, relevant URL components will be derived automatically.' },
  { name: 'web.route-prefix', type: 'string', default: '', help: 'Prefix for the internal routes of web endpoints. Defaults to path of --web.external-url.' },
  { name: 'web.get-concurrency', type: 'int', default: '0', help: 'Maximum number of GET requests processed concurrently (accepted; no limit is applied).' },
  { name: 'web.timeout', type: 'duration', default: '0s', help: 'Timeout for HTTP requests (accepted; no timeout is applied).' },
  { name: 'auto-gomemlimit.ratio', type: 'string', default: '0.9', help: 'The ratio of reserved GOMEMLIMIT memory (accepted; Go-only).' },
  cluster('listen-address', 'string', '0.0.0.0:9094', 'Listen address for cluster. Set to empty string to disable HA mode.'),
  cluster('advertise-address', 'string', '', 'Explicit address to advertise in cluster.'),
  cluster('peer', 'string', '', 'Initial peers (may be repeated).'),
  cluster('peer-timeout', 'duration', '15s', 'Time to wait between peers to send notifications.'),
  cluster('gossip-interval', 'duration', '200ms', 'Interval between sending gossip messages.'),
  cluster('pushpull-interval', 'duration', '1m', 'Interval for gossip state syncs.'),
  cluster('tcp-timeout', 'duration', '10s', 'Timeout for establishing a stream connection with a remote node.'),
  cluster('probe-timeout', 'duration', '500ms', 'Timeout to wait for an ack from a probed node before assuming it is unhealthy.'),
  cluster('probe-interval', 'duration', '1s', 'Interval between random node probes.'),
  cluster('settle-timeout', 'duration', '1m', 'Maximum time to wait for cluster connections to settle before evaluating notifications.'),
  cluster('reconnect-interval', 'duration', '10s', 'Interval between attempting to reconnect to lost peers.'),
  cluster('reconnect-timeout', 'duration', '6h', 'Length of time to attempt to reconnect to a lost peer.'),
  cluster('tls-config', 'string', '', 'Path to config yaml file that can enable mutual TLS within the gossip protocol.'),
  cluster('allow-insecure-public-advertise-address-discovery', 'bool', 'false', 'Allow alertmanager to discover and listen on a public IP address.'),
  cluster('label', 'string', '', 'The cluster label is an optional string to include on each packet and stream.'),
  { name: 'store.redis-url', type: 'string', default: '', help: 'Keep alerts, silences, the notification log and group timers in Redis at this URL (redis://[user:password@]host:port[/db]), shared by every replica using it: each notification is sent once by one replica (beyond upstream).' },
  { name: 'store.redis-key-prefix', type: 'string', default: 'pyrometer:alertmanager:', help: 'Prefix of every Redis key; replicas with the same prefix form one cluster.' },
  { name: 'store.redis-claim-ttl', type: 'duration', default: '15s', help: 'How long a replica holds a notification claim without renewing it: a replica that dies mid-send blocks that notification for at most this long.' },
  { name: 'enable-feature', type: 'string', default: '', help: 'Comma-separated experimental features to enable. Valid options: receiver-name-in-metrics, classic-mode, utf8-strict-mode, auto-gomemlimit, auto-gomaxprocs' },
  { name: 'log.level', type: 'enum', values: ['debug', 'info', 'warn', 'error'], default: 'info', help: 'Only log messages with the given severity or above.' },
  { name: 'log.format', type: 'enum', values: ['logfmt', 'json'], default: 'logfmt', help: 'Output format of log messages.' },
  { name: 'version', type: 'bool', help: 'Show application version.' },
];

/** Upstream's valid `--enable-feature` values. */
const FEATURES = new Set(['receiver-name-in-metrics', 'classic-mode', 'utf8-strict-mode', 'auto-gomemlimit', 'auto-gomaxprocs']);

/** Parses the command line; throws the cli package's `FlagError` naming the flag. */
export function parseFlags(argv: readonly string[]): AlertmanagerFlags {
  const f = parseCommandLine(ALERTMANAGER_FLAGS, argv);
  if (flagNumber(f, 'store.redis-claim-ttl')! <= 0) throw new FlagError(`--store.redis-claim-ttl must be positive, got ${JSON.stringify(flagString(f, 'store.redis-claim-ttl') ?? '')}`);
  const features = flagString(f, 'enable-feature')!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return {
    configFile: flagString(f, 'config.file')!,
    storagePath: flagString(f, 'storage.path')!,
    retentionMs: flagNumber(f, 'data.retention')!,
    maintenanceIntervalMs: flagNumber(f, 'data.maintenance-interval')!,
    maxSilences: flagNumber(f, 'silences.max-silences')!,
    maxSilenceSizeBytes: flagNumber(f, 'silences.max-silence-size-bytes')!,
    alertGcIntervalMs: flagNumber(f, 'alerts.gc-interval')!,
    listenAddress: flagString(f, 'web.listen-address')!,
    webConfigFile: flagString(f, 'web.config.file')!,
    externalUrl: flagString(f, 'web.external-url')!,
    routePrefix: flagString(f, 'web.route-prefix')!,
    features,
    clusterListenAddress: flagString(f, 'cluster.listen-address')!,
    clusterPeer: flagString(f, 'cluster.peer')!,
    redisUrl: flagString(f, 'store.redis-url')!,
    redisKeyPrefix: flagString(f, 'store.redis-key-prefix')!,
    redisClaimTtlMs: flagNumber(f, 'store.redis-claim-ttl')!,
    logLevel: flagString(f, 'log.level') as AlertmanagerFlags['logLevel'],
    logFormat: flagString(f, 'log.format') as AlertmanagerFlags['logFormat'],
    systemdSocket: flagBool(f, 'web.systemd-socket'),
  };
}

/** The feature names that are not upstream's (upstream refuses to start on them). */
export function unknownFeatures(flags: AlertmanagerFlags): string[] {
  return flags.features.filter((name) => !FEATURES.has(name));
}

/** The `--help` text. */
export function usage(): string {
  return cliUsage('pyrometer-alertmanager', 'An Alertmanager: routes, groups, inhibits, silences and notifies the alerts Prometheus sends.', ALERTMANAGER_FLAGS);
}
