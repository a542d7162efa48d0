import { parseConfig } from '@pyrometer/config';
import { compileRelabelConfig } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { acceptHeader } from './accept-header.js';
import { populateTargetLabels, scrapeUrlOf } from './target-labels.js';

function populate(extra: string, target: Record<string, string>, groupLabels: Record<string, string> = {}) {
  const sc = parseConfig(`scrape_configs:\n  - job_name: j\n    scrape_interval: 15s\n${extra}`, 't.yml').scrapeConfigs[0]!;
  const rules = sc.relabelConfigs.map((r) => compileRelabelConfig(r));
  const p = populateTargetLabels(sc, rules, target, { targets: [target], labels: groupLabels, source: '0' });
  return { ...p, url: p.labels ? scrapeUrlOf(p.labels, sc.params) : undefined };
}

describe('populateTargetLabels', () => {
  it('adds scrape defaults, removes __meta_* and defaults instance to the address', () => {
    const p = populate('', { __address__: 'h:1', __meta_x: 'm' }, { env: 'e' });
    expect(p.discovered.toString()).toBe('{__address__="h:1", __meta_x="m", __metrics_path__="/metrics", __scheme__="http", __scrape_interval__="15s", __scrape_timeout__="10s", env="e", job="j"}');
    expect(p.labels?.toString()).toBe('{__address__="h:1", __metrics_path__="/metrics", __scheme__="http", __scrape_interval__="15s", __scrape_timeout__="10s", env="e", instance="h:1", job="j"}');
    expect(p.url).toBe('http://h:1/metrics');
    expect([p.intervalMs, p.timeoutMs]).toEqual([15_000, 10_000]);
  });

  it.each([
    { name: 'relabeling drops', extra: "    relabel_configs: [{action: drop, source_labels: [__address__], regex: 'h:1'}]\n", error: undefined },
    { name: 'no address', extra: '    relabel_configs: [{action: labeldrop, regex: __address__}]\n', error: 'no address' },
    { name: 'timeout over interval', extra: "    relabel_configs: [{target_label: __scrape_timeout__, replacement: 1m}]\n", error: 'scrape timeout cannot be greater than scrape interval ("1m" > "15s")' },
    { name: 'bad interval', extra: "    relabel_configs: [{target_label: __scrape_interval__, replacement: soon}]\n", error: 'error parsing scrape interval: not a valid duration string: "soon"' },
    { name: 'zero timeout', extra: "    relabel_configs: [{target_label: __scrape_timeout__, replacement: '0'}]\n", error: 'scrape timeout cannot be 0' },
    { name: 'address with a path', extra: "    relabel_configs: [{target_label: __address__, replacement: 'h/x'}]\n", error: '"h/x" is not a valid hostname' },
  ])('drops the target: $name', ({ extra, error }) => {
    const p = populate(extra, { __address__: 'h:1' });
    expect(p.labels).toBeUndefined();
    expect(p.error).toBe(error);
  });

  it('builds the URL from scheme, address, path and params, with __param_* overriding', () => {
    const p = populate("    scheme: https\n    metrics_path: /probe\n    params: {module: [a, b], x: ['1']}\n    relabel_configs: [{target_label: __param_module, replacement: c}, {target_label: __param_target, replacement: t}]\n", { __address__: 'h:1' });
    expect(p.url).toBe('https://h:1/probe?module=c&module=b&x=1&target=t');
    expect(p.labels?.get('instance')).toBe('h:1');
  });
});

describe('acceptHeader', () => {
  it.each([
    { name: 'text only', protocols: ['PrometheusText0.0.4'] as const, want: 'text/plain;version=0.0.4;q=0.6,*/*;q=0.5' },
    { name: 'protobuf is never requested', protocols: ['PrometheusProto', 'OpenMetricsText1.0.0'] as const, want: 'application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,*/*;q=0.5' },
  ])('$name', ({ protocols, want }) => {
    expect(acceptHeader(protocols, protocols.length === 1 ? 'allow-utf-8' : 'underscores')).toBe(want);
  });
});
