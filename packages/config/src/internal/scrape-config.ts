import type { GlobalConfig, ScrapeConfig } from '../types.js';
import { noLimits } from '../defaults.js';
import { discoveryFields, noDiscovery } from './discovery.js';
import { limitFields, readScrapeProtocols, readValidationScheme } from './global.js';
import { httpClientFields } from './http-client.js';
import { readRelabelConfigs } from './relabel.js';
import { readDuration } from './scalars.js';
import type { YamlReader, YNode } from './yaml-reader.js';
import { ScrapeProtocol } from '../types.js';

/**
 * Reads one `scrape_configs` entry and applies upstream's inheritance from `global`: interval,
 * timeout (capped at the interval when only the interval is set), protocols, limits that are 0,
 * and the name validation scheme.
 */
export function readScrapeConfig(r: YamlReader, n: YNode, g: GlobalConfig): ScrapeConfig {
  if (r.isNull(n)) throw r.error(n, 'empty or null scrape config section');
  const client = httpClientFields(r, n);
  const c: ScrapeConfig = {
    jobName: '',
    honorLabels: false,
    honorTimestamps: true,
    trackTimestampsStaleness: false,
    params: {},
    scrapeInterval: 0,
    scrapeTimeout: 0,
    scrapeProtocols: [],
    metricsPath: '/metrics',
    scheme: 'http',
    enableCompression: true,
    metricNameValidationScheme: g.metricNameValidationScheme,
    metricNameEscapingScheme: g.metricNameEscapingScheme,
    scrapeNativeHistograms: g.scrapeNativeHistograms,
    alwaysScrapeClassicHistograms: g.alwaysScrapeClassicHistograms,
    convertClassicHistogramsToNhcb: g.convertClassicHistogramsToNhcb,
    nativeHistogramBucketLimit: 0,
    ...noLimits(),
    httpClient: client.config,
    ...noDiscovery(),
    relabelConfigs: [],
    metricRelabelConfigs: [],
  };
  let jobNode: YNode = null;
  let relabelNode: YNode = null;
  let metricRelabelNode: YNode = null;
  r.struct(n, 'config.plain', {
    ...client.fields,
    ...limitFields(r, c),
    ...discoveryFields(r, c),
    job_name: (v) => {
      jobNode = v;
      c.jobName = r.string(v, 'job_name');
    },
    honor_labels: (v) => (c.honorLabels = r.bool(v, 'honor_labels')),
    honor_timestamps: (v) => (c.honorTimestamps = r.bool(v, 'honor_timestamps')),
    track_timestamps_staleness: (v) => (c.trackTimestampsStaleness = r.bool(v, 'track_timestamps_staleness')),
    params: (v) => {
      for (const [k, vals] of r.entries(v, 'params', (x) => r.strings(x, 'params value'))) c.params[k] = vals;
    },
    scrape_interval: (v) => (c.scrapeInterval = readDuration(r, v, 'scrape_interval')),
    scrape_timeout: (v) => (c.scrapeTimeout = readDuration(r, v, 'scrape_timeout')),
    scrape_protocols: (v) => (c.scrapeProtocols = readScrapeProtocols(r, v)),
    fallback_scrape_protocol: (v) => {
      const p = r.string(v, 'fallback_scrape_protocol');
      if (!(Object.values(ScrapeProtocol) as string[]).includes(p)) throw r.error(v, `unknown fallback_scrape_protocol ${p}`);
      c.fallbackScrapeProtocol = p as ScrapeProtocol;
    },
    metrics_path: (v) => (c.metricsPath = r.string(v, 'metrics_path')),
    scheme: (v) => (c.scheme = r.string(v, 'scheme')),
    enable_compression: (v) => (c.enableCompression = r.bool(v, 'enable_compression')),
    metric_name_validation_scheme: (v) => (c.metricNameValidationScheme = readValidationScheme(r, v)),
    metric_name_escaping_scheme: (v) => (c.metricNameEscapingScheme = r.string(v, 'metric_name_escaping_scheme')),
    scrape_native_histograms: (v) => (c.scrapeNativeHistograms = r.bool(v, 'scrape_native_histograms')),
    always_scrape_classic_histograms: (v) => (c.alwaysScrapeClassicHistograms = r.bool(v, 'always_scrape_classic_histograms')),
    convert_classic_histograms_to_nhcb: (v) => (c.convertClassicHistogramsToNhcb = r.bool(v, 'convert_classic_histograms_to_nhcb')),
    native_histogram_bucket_limit: (v) => (c.nativeHistogramBucketLimit = r.uint(v, 'native_histogram_bucket_limit')),
    relabel_configs: (v) => (relabelNode = v),
    metric_relabel_configs: (v) => (metricRelabelNode = v),
  });
  // Relabel rules are checked against the job's name validation scheme, which may come later in the mapping.
  const legacy = c.metricNameValidationScheme === 'legacy';
  c.relabelConfigs = readRelabelConfigs(r, relabelNode, 'empty or null target relabeling rule in scrape config', legacy);
  c.metricRelabelConfigs = readRelabelConfigs(r, metricRelabelNode, 'empty or null metric relabeling rule in scrape config', legacy);
  client.finish();
  if (c.jobName === '') throw r.error(jobNode ?? n, 'job_name is empty');
  if (c.scheme !== 'http' && c.scheme !== 'https') throw r.error(n, `scheme must be "http" or "https" for scrape config with job name ${JSON.stringify(c.jobName)}, got ${JSON.stringify(c.scheme)}`);
  if (c.scrapeInterval === 0) c.scrapeInterval = g.scrapeInterval;
  if (c.scrapeTimeout > c.scrapeInterval) {
    throw r.error(n, `scrape timeout greater than scrape interval for scrape config with job name ${JSON.stringify(c.jobName)}`);
  }
  if (c.scrapeTimeout === 0) c.scrapeTimeout = Math.min(g.scrapeTimeout, c.scrapeInterval);
  if (c.scrapeProtocols.length === 0) c.scrapeProtocols = [...g.scrapeProtocols];
  for (const k of ['sampleLimit', 'targetLimit', 'labelLimit', 'labelNameLengthLimit', 'labelValueLengthLimit', 'bodySizeLimit', 'keepDroppedTargets'] as const) {
    if (c[k] === 0) c[k] = g[k];
  }
  return c;
}
