import type { RelabelConfig } from '@pyrometer/model';

/** Durations in the configuration are milliseconds; sizes are bytes; 0 means "no limit" for limits. */

/** A scrape protocol name as prometheus.yml spells it in `scrape_protocols`. */
export const ScrapeProtocol = {
  PrometheusProto: 'PrometheusProto',
  PrometheusText0_0_4: 'PrometheusText0.0.4',
  PrometheusText1_0_0: 'PrometheusText1.0.0',
  OpenMetricsText0_0_1: 'OpenMetricsText0.0.1',
  OpenMetricsText1_0_0: 'OpenMetricsText1.0.0',
} as const;
export type ScrapeProtocol = (typeof ScrapeProtocol)[keyof typeof ScrapeProtocol];

/** How metric and label names are validated: `utf8` (Prometheus 3 default) or `legacy`. */
export type NameValidationScheme = 'utf8' | 'legacy';

/** The limits a scrape config inherits from `global` (all 0 = unlimited). */
export interface ScrapeLimits {
  sampleLimit: number;
  targetLimit: number;
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
  /** Maximum uncompressed body size in bytes. */
  bodySizeLimit: number;
  keepDroppedTargets: number;
}

/** The `global` section. */
export interface GlobalConfig extends ScrapeLimits {
  scrapeInterval: number;
  scrapeTimeout: number;
  scrapeProtocols: ScrapeProtocol[];
  evaluationInterval: number;
  ruleQueryOffset: number;
  /** After `${VAR}` expansion; sorted by name when turned into Labels. */
  externalLabels: Record<string, string>;
  queryLogFile: string;
  scrapeFailureLogFile: string;
  metricNameValidationScheme: NameValidationScheme;
  metricNameEscapingScheme: string;
  scrapeNativeHistograms: boolean;
  alwaysScrapeClassicHistograms: boolean;
  convertClassicHistogramsToNhcb: boolean;
}

/** TLS settings of an HTTP client (prometheus/common `TLSConfig`); inline PEM or file paths. */
export interface TlsConfig {
  ca: string;
  caFile: string;
  cert: string;
  certFile: string;
  key: string;
  keyFile: string;
  serverName: string;
  insecureSkipVerify: boolean;
  minVersion: string;
  maxVersion: string;
}

/** HTTP basic authentication; a `*File` is read at request time. */
export interface BasicAuth {
  username: string;
  usernameFile: string;
  password: string;
  passwordFile: string;
}

/** The `Authorization` header: `type credentials`. `bearer_token(_file)` are folded in here. */
export interface Authorization {
  type: string;
  credentials: string;
  credentialsFile: string;
}

/** OAuth2 client credentials settings; kept so configs that use them load, not used by the scraper yet. */
export interface OAuth2Config {
  clientId: string;
  clientSecret: string;
  clientSecretFile: string;
  scopes: string[];
  tokenUrl: string;
  endpointParams: Record<string, string>;
}

/** prometheus/common `HTTPClientConfig`, inline in scrape, SD, alerting and remote sections. */
export interface HttpClientConfig {
  basicAuth?: BasicAuth;
  authorization?: Authorization;
  oauth2?: OAuth2Config;
  tls: TlsConfig;
  proxyUrl: string;
  noProxy: string;
  proxyFromEnvironment: boolean;
  followRedirects: boolean;
  enableHttp2: boolean;
  /** Extra request headers: name → values. */
  httpHeaders: Record<string, string[]>;
}

/** A set of targets sharing labels, as static_configs, file_sd and http_sd describe them. */
export interface TargetGroup {
  /** Each target's own labels; at least `__address__`. */
  targets: Record<string, string>[];
  /** Labels common to every target of the group. */
  labels: Record<string, string>;
  /** Identifies the group within its provider (e.g. "file.json:0"). */
  source: string;
}

/** A `file_sd_configs` entry. */
export interface FileSdConfig {
  /** Paths or globs (glob only in the last element) of *.json, *.yml or *.yaml files. */
  files: string[];
  refreshInterval: number;
}

/** An `http_sd_configs` entry. */
export interface HttpSdConfig {
  url: string;
  refreshInterval: number;
  httpClient: HttpClientConfig;
}

/** A `dns_sd_configs` entry: accepted so upstream configs load; the scraper reports it unsupported. */
export interface DnsSdConfig {
  names: string[];
  type: string;
  port: number;
  refreshInterval: number;
}

/** The service discovery sections a scrape config or an Alertmanager set may carry. */
export interface DiscoveryConfigs {
  staticConfigs: TargetGroup[];
  fileSdConfigs: FileSdConfig[];
  httpSdConfigs: HttpSdConfig[];
  dnsSdConfigs: DnsSdConfig[];
}

/** One `scrape_configs` entry after inheritance from `global`. */
export interface ScrapeConfig extends ScrapeLimits, DiscoveryConfigs {
  jobName: string;
  honorLabels: boolean;
  honorTimestamps: boolean;
  trackTimestampsStaleness: boolean;
  params: Record<string, string[]>;
  scrapeInterval: number;
  scrapeTimeout: number;
  scrapeProtocols: ScrapeProtocol[];
  fallbackScrapeProtocol?: ScrapeProtocol;
  metricsPath: string;
  scheme: string;
  enableCompression: boolean;
  metricNameValidationScheme: NameValidationScheme;
  metricNameEscapingScheme: string;
  scrapeNativeHistograms: boolean;
  alwaysScrapeClassicHistograms: boolean;
  convertClassicHistogramsToNhcb: boolean;
  nativeHistogramBucketLimit: number;
  httpClient: HttpClientConfig;
  relabelConfigs: RelabelConfig[];
  metricRelabelConfigs: RelabelConfig[];
}

/** One `alerting.alertmanagers` entry. */
export interface AlertmanagerConfig extends DiscoveryConfigs {
  scheme: string;
  pathPrefix: string;
  timeout: number;
  apiVersion: string;
  httpClient: HttpClientConfig;
  relabelConfigs: RelabelConfig[];
  alertRelabelConfigs: RelabelConfig[];
}

/** The `alerting` section. */
export interface AlertingConfig {
  alertRelabelConfigs: RelabelConfig[];
  alertmanagers: AlertmanagerConfig[];
}

/** `remote_write[].queue_config`. */
export interface QueueConfig {
  capacity: number;
  maxShards: number;
  minShards: number;
  maxSamplesPerSend: number;
  batchSendDeadline: number;
  minBackoff: number;
  maxBackoff: number;
  retryOnHttp429: boolean;
  sampleAgeLimit: number;
}

/** `remote_write[].metadata_config`. */
export interface MetadataConfig {
  send: boolean;
  sendInterval: number;
  maxSamplesPerSend: number;
}

/** One `remote_write` entry. */
export interface RemoteWriteConfig {
  url: string;
  remoteTimeout: number;
  headers: Record<string, string>;
  writeRelabelConfigs: RelabelConfig[];
  name: string;
  sendExemplars: boolean;
  sendNativeHistograms: boolean;
  protobufMessage: string;
  queueConfig: QueueConfig;
  metadataConfig: MetadataConfig;
  httpClient: HttpClientConfig;
}

/** One `remote_read` entry. */
export interface RemoteReadConfig {
  url: string;
  remoteTimeout: number;
  headers: Record<string, string>;
  readRecent: boolean;
  name: string;
  requiredMatchers: Record<string, string>;
  filterExternalLabels: boolean;
  httpClient: HttpClientConfig;
}

/** The `storage` section. */
export interface StorageConfig {
  tsdb: { outOfOrderTimeWindow: number; retentionTime: number; retentionSize: number };
  exemplars: { maxExemplars: number };
}

/** A whole prometheus.yml after defaults, inheritance and validation. Plain data; safe to share read-only. */
export interface Config {
  global: GlobalConfig;
  ruleFiles: string[];
  scrapeConfigFiles: string[];
  scrapeConfigs: ScrapeConfig[];
  alerting: AlertingConfig;
  remoteWrite: RemoteWriteConfig[];
  remoteRead: RemoteReadConfig[];
  storage: StorageConfig;
}
