import { ScrapeProtocol, type GlobalConfig, type HttpClientConfig, type QueueConfig, type MetadataConfig, type ScrapeLimits, type TlsConfig } from './types.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Upstream's default `scrape_protocols`: OpenMetrics first, then the text formats. */
export const DEFAULT_SCRAPE_PROTOCOLS: readonly ScrapeProtocol[] = [
  ScrapeProtocol.OpenMetricsText1_0_0,
  ScrapeProtocol.OpenMetricsText0_0_1,
  ScrapeProtocol.PrometheusText1_0_0,
  ScrapeProtocol.PrometheusText0_0_4,
];

/** Upstream's `DefaultGlobalConfig`: 1m interval, 10s timeout, 1m evaluation, no limits, UTF-8 names. */
export function defaultGlobalConfig(): GlobalConfig {
  return {
    scrapeInterval: MINUTE,
    scrapeTimeout: 10 * SECOND,
    scrapeProtocols: [...DEFAULT_SCRAPE_PROTOCOLS],
    evaluationInterval: MINUTE,
    ruleQueryOffset: 0,
    externalLabels: {},
    queryLogFile: '',
    scrapeFailureLogFile: '',
    ...noLimits(),
    metricNameValidationScheme: 'utf8',
    metricNameEscapingScheme: 'allow-utf-8',
    scrapeNativeHistograms: false,
    alwaysScrapeClassicHistograms: false,
    convertClassicHistogramsToNhcb: false,
  };
}

/** Every limit at 0 (unlimited). */
export function noLimits(): ScrapeLimits {
  return { sampleLimit: 0, targetLimit: 0, labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 0, bodySizeLimit: 0, keepDroppedTargets: 0 };
}

/** An empty TLS config (system CAs, verification on). */
export function defaultTlsConfig(): TlsConfig {
  return { ca: '', caFile: '', cert: '', certFile: '', key: '', keyFile: '', serverName: '', insecureSkipVerify: false, minVersion: '', maxVersion: '' };
}

/** prometheus/common's `DefaultHTTPClientConfig`: follow redirects, HTTP/2 enabled, no auth. */
export function defaultHttpClientConfig(): HttpClientConfig {
  return { tls: defaultTlsConfig(), proxyUrl: '', noProxy: '', proxyFromEnvironment: false, followRedirects: true, enableHttp2: true, httpHeaders: {} };
}

/** Upstream's `DefaultQueueConfig`. */
export function defaultQueueConfig(): QueueConfig {
  return {
    capacity: 10000,
    maxShards: 50,
    minShards: 1,
    maxSamplesPerSend: 2000,
    batchSendDeadline: 5 * SECOND,
    minBackoff: 30,
    maxBackoff: 5 * SECOND,
    retryOnHttp429: false,
    sampleAgeLimit: 0,
  };
}

/** Upstream's `DefaultMetadataConfig`. */
export function defaultMetadataConfig(): MetadataConfig {
  return { send: true, sendInterval: MINUTE, maxSamplesPerSend: 2000 };
}

/** Default `remote_write.remote_timeout` (30s) and `remote_read.remote_timeout` (1m). */
export const DEFAULT_REMOTE_WRITE_TIMEOUT = 30 * SECOND;
export const DEFAULT_REMOTE_READ_TIMEOUT = MINUTE;
/** Default `alertmanagers[].timeout`. */
export const DEFAULT_ALERTMANAGER_TIMEOUT = 10 * SECOND;
/** Default SD refresh intervals: file 5m, HTTP 1m, DNS 30s. */
export const DEFAULT_FILE_SD_REFRESH = 5 * MINUTE;
export const DEFAULT_HTTP_SD_REFRESH = MINUTE;
export const DEFAULT_DNS_SD_REFRESH = 30 * SECOND;
/** Default exemplar storage size. */
export const DEFAULT_MAX_EXEMPLARS = 100000;
