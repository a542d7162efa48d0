import { defaultGlobalConfig } from '../defaults.js';
import { ScrapeProtocol, type GlobalConfig, type NameValidationScheme, type ScrapeLimits } from '../types.js';
import { readDuration, readLabelSet, readSize } from './scalars.js';
import { expandEnv } from './units.js';
import type { FieldHandlers, YamlReader, YNode } from './yaml-reader.js';

const PROTOCOLS = new Set<string>(Object.values(ScrapeProtocol));

/** Reads `scrape_protocols`: known names, each at most once. */
export function readScrapeProtocols(r: YamlReader, n: YNode): ScrapeProtocol[] {
  const seen = new Set<string>();
  return r.list(n, 'scrape_protocols', (it) => {
    const p = r.string(it, 'scrape protocol');
    if (!PROTOCOLS.has(p)) throw r.error(it, `unknown scrape protocol ${p}, supported: ${[...PROTOCOLS].join(', ')}`);
    if (seen.has(p)) throw r.error(it, `duplicated protocol in scrape_protocols, got ${p}`);
    seen.add(p);
    return p as ScrapeProtocol;
  });
}

/** Reads `metric_name_validation_scheme` (`utf8` or `legacy`). */
export function readValidationScheme(r: YamlReader, n: YNode): NameValidationScheme {
  const s = r.string(n, 'metric_name_validation_scheme');
  if (s === 'utf8' || s === 'legacy') return s;
  throw r.error(n, `unknown name validation method specified, must be either '', 'legacy' or 'utf8', got ${s}`);
}

/** Handlers for the limits shared by `global` and scrape configs. */
export function limitFields(r: YamlReader, into: ScrapeLimits): FieldHandlers {
  return {
    sample_limit: (n) => (into.sampleLimit = r.uint(n, 'sample_limit')),
    target_limit: (n) => (into.targetLimit = r.uint(n, 'target_limit')),
    label_limit: (n) => (into.labelLimit = r.uint(n, 'label_limit')),
    label_name_length_limit: (n) => (into.labelNameLengthLimit = r.uint(n, 'label_name_length_limit')),
    label_value_length_limit: (n) => (into.labelValueLengthLimit = r.uint(n, 'label_value_length_limit')),
    body_size_limit: (n) => (into.bodySizeLimit = readSize(r, n, 'body_size_limit')),
    keep_dropped_targets: (n) => (into.keepDroppedTargets = r.uint(n, 'keep_dropped_targets')),
  };
}

/**
 * Reads `global` with upstream's defaults: a missing timeout becomes the default 10s, or the
 * interval when that is shorter; a timeout longer than the interval is an error.
 */
export function readGlobal(r: YamlReader, n: YNode, env: Readonly<Record<string, string | undefined>>): GlobalConfig {
  const g = defaultGlobalConfig();
  const defaults = defaultGlobalConfig();
  let interval = 0;
  let timeout = 0;
  r.struct(n, 'config.plain', {
    ...limitFields(r, g),
    scrape_interval: (v) => (interval = readDuration(r, v, 'scrape_interval')),
    scrape_timeout: (v) => (timeout = readDuration(r, v, 'scrape_timeout')),
    scrape_protocols: (v) => (g.scrapeProtocols = readScrapeProtocols(r, v)),
    evaluation_interval: (v) => (g.evaluationInterval = readDuration(r, v, 'evaluation_interval') || defaults.evaluationInterval),
    rule_query_offset: (v) => (g.ruleQueryOffset = readDuration(r, v, 'rule_query_offset')),
    external_labels: (v) => (g.externalLabels = readLabelSet(r, v, 'external_labels', (s) => expandEnv(s, env))),
    query_log_file: (v) => (g.queryLogFile = r.string(v, 'query_log_file')),
    scrape_failure_log_file: (v) => (g.scrapeFailureLogFile = r.string(v, 'scrape_failure_log_file')),
    metric_name_validation_scheme: (v) => (g.metricNameValidationScheme = readValidationScheme(r, v)),
    metric_name_escaping_scheme: (v) => (g.metricNameEscapingScheme = r.string(v, 'metric_name_escaping_scheme')),
    scrape_native_histograms: (v) => (g.scrapeNativeHistograms = r.bool(v, 'scrape_native_histograms')),
    always_scrape_classic_histograms: (v) => (g.alwaysScrapeClassicHistograms = r.bool(v, 'always_scrape_classic_histograms')),
    convert_classic_histograms_to_nhcb: (v) => (g.convertClassicHistogramsToNhcb = r.bool(v, 'convert_classic_histograms_to_nhcb')),
  });
  if (g.scrapeProtocols.length === 0) g.scrapeProtocols = defaults.scrapeProtocols;
  g.scrapeInterval = interval || defaults.scrapeInterval;
  if (timeout > g.scrapeInterval) throw r.error(n, 'global scrape timeout greater than scrape interval');
  g.scrapeTimeout = timeout || Math.min(defaults.scrapeTimeout, g.scrapeInterval);
  return g;
}
