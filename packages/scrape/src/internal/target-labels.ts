import type { ScrapeConfig, TargetGroup } from '@pyrometer/config';
import { formatDuration, LabelsBuilder, Labels, parseDuration, relabel, type RelabelRule } from '@pyrometer/model';

/** The outcome of turning one discovered target into scrape labels. */
export interface PopulatedTarget {
  /** Labels before relabeling (what /api/v1/targets shows as discoveredLabels). */
  discovered: Labels;
  /** Final labels, `__` labels included; undefined when relabeling dropped the target or it is invalid. */
  labels: Labels | undefined;
  /** Why the target is invalid, when it is. */
  error: string | undefined;
  /** The target's scrape interval and timeout (ms) from its final labels; 0 when dropped. */
  intervalMs: number;
  timeoutMs: number;
}

/**
 * Upstream's `PopulateLabels`: target labels over group labels, scrape defaults (`job`,
 * `__scrape_interval__`, `__scrape_timeout__`, `__metrics_path__`, `__scheme__`, `__param_*`)
 * where absent, `relabel_configs`, then checks (address present and a valid host, interval and
 * timeout parse and agree), `__meta_*` removed and `instance` defaulted to the address.
 */
export function populateTargetLabels(cfg: ScrapeConfig, rules: readonly RelabelRule[], target: Readonly<Record<string, string>>, group: TargetGroup): PopulatedTarget {
  const b = new LabelsBuilder(Labels.EMPTY);
  for (const [k, v] of Object.entries(group.labels)) b.set(k, v);
  for (const [k, v] of Object.entries(target)) b.set(k, v);
  const defaults: [string, string][] = [
    ['job', cfg.jobName],
    ['__scrape_interval__', formatDuration(cfg.scrapeInterval)],
    ['__scrape_timeout__', formatDuration(cfg.scrapeTimeout)],
    ['__metrics_path__', cfg.metricsPath],
    ['__scheme__', cfg.scheme],
  ];
  for (const [k, v] of defaults) if (b.get(k) === '') b.set(k, v);
  for (const [k, values] of Object.entries(cfg.params)) {
    const name = '__param_' + k;
    if (values.length > 0 && b.get(name) === '') b.set(name, values[0]!);
  }
  const discovered = b.labels();
  const result = rules.length > 0 ? relabel(discovered, rules) : discovered;
  if (result === undefined) return { discovered, labels: undefined, error: undefined, intervalMs: 0, timeoutMs: 0 };
  const invalid = (error: string): PopulatedTarget => ({ discovered, labels: undefined, error, intervalMs: 0, timeoutMs: 0 });
  const addr = result.get('__address__');
  if (addr === '') return invalid('no address');
  if (addr.includes('/')) return invalid(`${JSON.stringify(addr)} is not a valid hostname`);
  const interval = result.get('__scrape_interval__');
  const timeout = result.get('__scrape_timeout__');
  let intervalMs: number;
  let timeoutMs: number;
  try {
    intervalMs = parseDuration(interval);
  } catch (err) {
    return invalid(`error parsing scrape interval: ${(err as Error).message}`);
  }
  try {
    timeoutMs = parseDuration(timeout);
  } catch (err) {
    return invalid(`error parsing scrape timeout: ${(err as Error).message}`);
  }
  if (intervalMs === 0) return invalid('scrape interval cannot be 0');
  if (timeoutMs === 0) return invalid('scrape timeout cannot be 0');
  if (timeoutMs > intervalMs) return invalid(`scrape timeout cannot be greater than scrape interval (${JSON.stringify(timeout)} > ${JSON.stringify(interval)})`);
  const out = new LabelsBuilder(result);
  out.filter((name) => !name.startsWith('__meta_'));
  if (out.get('instance') === '') out.set('instance', addr);
  return { discovered, labels: out.labels(), error: undefined, intervalMs, timeoutMs };
}

/** The labels attached to scraped series: the final labels without those starting with `__`. */
export function seriesLabelsOf(labels: Labels): Labels {
  const b = new LabelsBuilder(labels);
  b.filter((name) => !name.startsWith('__'));
  return b.labels();
}

/** `__scheme__://__address____metrics_path__?params`, where `__param_<k>` replaces the first value of `k`. */
export function scrapeUrlOf(labels: Labels, params: Readonly<Record<string, string[]>>): string {
  const query = new URLSearchParams();
  const seen = new Set<string>();
  for (const [k, values] of Object.entries(params)) {
    const override = labels.get('__param_' + k);
    values.forEach((v, i) => query.append(k, i === 0 && override !== '' ? override : v));
    seen.add(k);
  }
  labels.forEach((name, value) => {
    if (!name.startsWith('__param_')) return;
    const k = name.slice('__param_'.length);
    if (!seen.has(k)) query.append(k, value);
  });
  const q = query.toString();
  return `${labels.get('__scheme__')}://${labels.get('__address__')}${labels.get('__metrics_path__')}${q === '' ? '' : '?' + q}`;
}
