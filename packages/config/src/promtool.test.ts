import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { conformanceDir, peer, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';

const promtool = peer('promtool', 'prometheus');
const run = promisify(execFile);

// Only fields Prometheus 2.42 (Debian's promtool) knows: newer ones (scrape_protocols,
// enable_compression, metric_name_validation_scheme, …) would make the old promtool reject a config
// that Prometheus 3, and we, accept.
const RICH = `global:
  scrape_interval: 15s
  evaluation_interval: 30s
  external_labels: {cluster: c1}
rule_files: [rules/*.yml]
scrape_configs:
  - job_name: node
    honor_labels: true
    params: {module: [a]}
    sample_limit: 1000
    label_limit: 30
    body_size_limit: 10MB
    basic_auth: {username: u, password: p}
    tls_config: {insecure_skip_verify: true}
    static_configs:
      - targets: ['localhost:9100']
        labels: {env: prod}
    file_sd_configs:
      - files: ['targets/*.json']
    http_sd_configs:
      - url: http://localhost:8080/sd
    relabel_configs:
      - {source_labels: [__address__], regex: '(.*):.*', target_label: host, replacement: '$1'}
      - {action: hashmod, source_labels: [__address__], modulus: 4, target_label: __tmp_shard}
      - {action: keep, source_labels: [__tmp_shard], regex: '0|1|2|3'}
    metric_relabel_configs:
      - {action: labeldrop, regex: 'tmp_.*'}
alerting:
  alertmanagers:
    - static_configs: [{targets: ['localhost:9093']}]
remote_write:
  - url: http://localhost:9009/api/v1/push
    queue_config: {max_samples_per_send: 500}
remote_read:
  - url: http://localhost:9009/api/v1/read
    read_recent: true
    required_matchers: {job: flink}
`;

describe.skipIf(promtool.missingReason !== undefined)('promtool check config accepts what we accept', () => {
  it.each([
    { name: 'a config using most sections', file: undefined, text: RICH },
    { name: 'global_timeout.good.yml', file: join(conformanceDir('prometheus-config'), 'global_timeout.good.yml'), text: undefined },
    { name: 'scrape_interval_larger.good.yml', file: join(conformanceDir('prometheus-config'), 'scrape_interval_larger.good.yml'), text: undefined },
  ])('$name', async ({ file, text }) => {
    let path = file;
    if (path === undefined) {
      path = join(tempDir(), 'prometheus.yml');
      writeFileSync(path, text ?? '');
    }
    await expect(loadConfig(path)).resolves.toBeDefined();
    const { stdout } = await run(promtool.path!, ['check', 'config', '--syntax-only', path]);
    expect(stdout).toContain('SUCCESS');
  });
});
