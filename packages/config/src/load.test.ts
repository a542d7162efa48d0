import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { loadConfig, parseConfig } from './load.js';

function reject(text: string): ConfigError {
  try {
    parseConfig(text, 'p.yml', { env: {} });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig defaults', () => {
  it('fills upstream defaults for an empty file', () => {
    const c = parseConfig('', 'empty.yml');
    expect(c.global).toMatchObject({ scrapeInterval: 60_000, scrapeTimeout: 10_000, evaluationInterval: 60_000, metricNameValidationScheme: 'utf8' });
    expect(c.global.scrapeProtocols).toEqual(['OpenMetricsText1.0.0', 'OpenMetricsText0.0.1', 'PrometheusText1.0.0', 'PrometheusText0.0.4']);
    expect(c.scrapeConfigs).toEqual([]);
    expect(c.storage.exemplars.maxExemplars).toBe(100000);
  });

  it('gives a scrape config upstream defaults and inherits global values', () => {
    const c = parseConfig(
      ['global:', '  scrape_interval: 15s', '  sample_limit: 100', 'scrape_configs:', '  - job_name: a', '  - job_name: b', '    scrape_interval: 5s', '    sample_limit: 7', '    body_size_limit: 1KB'].join('\n'),
      'x.yml',
    );
    const [a, b] = c.scrapeConfigs;
    expect(a).toMatchObject({ jobName: 'a', scrapeInterval: 15_000, scrapeTimeout: 10_000, metricsPath: '/metrics', scheme: 'http', honorLabels: false, honorTimestamps: true, enableCompression: true, sampleLimit: 100 });
    expect(b).toMatchObject({ scrapeInterval: 5000, scrapeTimeout: 5000, sampleLimit: 7, bodySizeLimit: 1024 });
  });

  it('caps the global timeout at a short global interval', () => {
    expect(parseConfig('global:\n  scrape_interval: 5s\n', 'x.yml').global.scrapeTimeout).toBe(5000);
  });

  it('expands environment variables in external labels, with $$ for a literal $', () => {
    const c = parseConfig('global:\n  external_labels:\n    a: ${X}\n    b: p$${X}\n    c: $X-y\n', 'x.yml', { env: { X: 'v' } });
    expect(c.global.externalLabels).toEqual({ a: 'v', b: 'p${X}', c: 'v-y' });
  });

  it('folds bearer_token into authorization and reads auth and TLS settings', () => {
    const c = parseConfig(['scrape_configs:', '  - job_name: a', '    bearer_token: tok', '    tls_config:', '      insecure_skip_verify: true', '  - job_name: b', '    basic_auth: {username: u, password: p}'].join('\n'), 'x.yml');
    expect(c.scrapeConfigs[0]?.httpClient.authorization).toEqual({ type: 'Bearer', credentials: 'tok', credentialsFile: '' });
    expect(c.scrapeConfigs[0]?.httpClient.tls.insecureSkipVerify).toBe(true);
    expect(c.scrapeConfigs[1]?.httpClient.basicAuth).toMatchObject({ username: 'u', password: 'p' });
  });

  it('reads static, file and http SD sections', () => {
    const c = parseConfig(
      ['scrape_configs:', '  - job_name: a', '    static_configs:', '      - targets: [h1:9100, h2:9100]', '        labels: {env: prod}', '    file_sd_configs:', '      - files: [t/*.json]', '    http_sd_configs:', '      - url: http://127.0.0.1:1/sd'].join('\n'),
      'x.yml',
    );
    const sc = c.scrapeConfigs[0]!;
    expect(sc.staticConfigs).toEqual([{ targets: [{ __address__: 'h1:9100' }, { __address__: 'h2:9100' }], labels: { env: 'prod' }, source: '0' }]);
    expect(sc.fileSdConfigs).toEqual([{ files: ['t/*.json'], refreshInterval: 300_000 }]);
    expect(sc.httpSdConfigs[0]).toMatchObject({ url: 'http://127.0.0.1:1/sd', refreshInterval: 60_000 });
  });
});

describe('parseConfig errors', () => {
  it.each([
    { name: 'unknown top-level field', text: 'globl: {}\n', message: 'field globl not found in type config.plain', at: 'p.yml:1:1' },
    { name: 'unknown scrape field', text: 'scrape_configs:\n  - job_name: a\n    intervall: 5s\n', message: 'field intervall not found', at: 'p.yml:3:5' },
    { name: 'duplicate section', text: 'global: {}\nglobal: {}\n', message: 'field global already set in type config.plain', at: 'p.yml:2:1' },
    { name: 'duplicate label key', text: 'global:\n  external_labels:\n    a: x\n    a: y\n', message: 'mapping key "a" already defined at line 3', at: 'p.yml:4:5' },
    { name: 'bad duration', text: 'global:\n  scrape_interval: 5x\n', message: 'scrape_interval: unknown unit "x" in duration "5x"', at: 'p.yml:2:20' },
    { name: 'global timeout over interval', text: 'global:\n  scrape_interval: 5s\n  scrape_timeout: 6s\n', message: 'global scrape timeout greater than scrape interval', at: 'p.yml:2:3' },
    { name: 'malformed YAML', text: 'global:\n  a: [\n', message: '', at: 'p.yml:' },
    { name: 'wrong kind', text: 'scrape_configs:\n  - job_name: a\n    honor_labels: maybe\n', message: 'honor_labels must be true or false, got "maybe"', at: 'p.yml:3:19' },
    { name: 'bad file_sd extension', text: 'scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: [x.txt]\n', message: 'is not valid for file discovery', at: 'p.yml:4:17' },
    { name: 'unknown protocol', text: 'global:\n  scrape_protocols: [Foo]\n', message: 'unknown scrape protocol Foo', at: 'p.yml:2:22' },
    { name: 'two auth kinds', text: 'scrape_configs:\n  - job_name: a\n    authorization: {credentials: x}\n    basic_auth: {username: u}\n', message: 'at most one of basic_auth, oauth2 & authorization must be configured', at: 'p.yml:2:5' },
  ])('$name', ({ text, message, at }) => {
    const err = reject(text);
    expect(err.problem).toContain(message);
    expect(err.message.startsWith(at)).toBe(true);
  });
});

describe('loadConfig', () => {
  it('resolves rule files against the config directory and appends scrape_config_files', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'jobs'));
    writeFileSync(join(dir, 'jobs', 'a.yml'), 'scrape_configs:\n  - job_name: extra\n');
    writeFileSync(join(dir, 'jobs', 'b.yml'), 'scrape_configs:\n  - job_name: more\n');
    writeFileSync(join(dir, 'p.yml'), 'rule_files: [rules/*.yml]\nscrape_config_files: [jobs/*.yml]\nscrape_configs:\n  - job_name: main\n');
    const c = await loadConfig(join(dir, 'p.yml'));
    expect(c.ruleFiles).toEqual([join(dir, 'rules/*.yml')]);
    expect(c.scrapeConfigs.map((s) => s.jobName)).toEqual(['main', 'extra', 'more']);
  });

  it('rejects a job name repeated across scrape_config_files, naming that file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dup.yml'), 'scrape_configs:\n  - job_name: main\n');
    writeFileSync(join(dir, 'p.yml'), 'scrape_config_files: [dup.yml]\nscrape_configs:\n  - job_name: main\n');
    await expect(loadConfig(join(dir, 'p.yml'))).rejects.toThrow(`${join(dir, 'dup.yml')}: found multiple scrape configs with job name "main"`);
  });

  // Upstream: a pattern that is no valid glob or a file that does not parse stops Prometheus (exit
  // 1 with Debian's 2.42; exit 2 from 3.x's startup check); a named file that does not exist fails
  // promtool check config ("does not point to an existing file"), which we follow at load time.
  it.each([
    { name: 'a named file that does not exist', rules: ['missing.yml'], problem: `rule file "DIR/missing.yml" does not point to an existing file`, code: 'invalid' },
    { name: 'a file that is not YAML', rules: ['bad.yml'], problem: 'DIR/bad.yml:2:1: ', code: 'yaml' },
    { name: 'a glob matching a file that is not YAML', rules: ['*.yml'], problem: 'DIR/bad.yml:2:1: ', code: 'yaml' },
    { name: 'an invalid glob', rules: ['rules/[.yml'], problem: 'error retrieving rule files for "DIR/rules/[.yml": syntax error in pattern (unclosed [)', code: 'invalid' },
  ])('fails to load when rule_files holds $name, as upstream', async ({ rules, problem, code }) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yml'), 'groups: [oops\n');
    writeFileSync(join(dir, 'p.yml'), `rule_files: ${JSON.stringify(rules)}\n`);
    const err = await loadConfig(join(dir, 'p.yml')).catch((e: unknown) => e as ConfigError);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ code });
    expect((err as ConfigError).message).toContain(problem.replaceAll('DIR', dir));
  });

  it('leaves rule files alone with checkRuleFiles: false (promtool check config checks them itself)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'p.yml'), 'rule_files: [missing.yml]\n');
    expect((await loadConfig(join(dir, 'p.yml'), { checkRuleFiles: false })).ruleFiles).toEqual([join(dir, 'missing.yml')]);
    await expect(loadConfig(join(dir, 'p.yml'))).rejects.toThrow('does not point to an existing file');
  });

  it('accepts rule files that exist and are YAML, and globs that match nothing', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'a.yml'), 'groups: []\n');
    writeFileSync(join(dir, 'p.yml'), 'rule_files: [rules/a.yml, "rules/*.yml", "nowhere/*.yml"]\n');
    expect((await loadConfig(join(dir, 'p.yml'))).ruleFiles).toHaveLength(3);
  });

  it('reads remote_read entries with upstream\'s defaults and refuses repeated names', () => {
    const config = parseConfig('remote_read:\n  - url: http://localhost:9009/api/v1/read\n  - url: https://mimir/prometheus/api/v1/read\n    name: mimir\n    read_recent: true\n    remote_timeout: 10s\n    required_matchers: {job: flink}\n    filter_external_labels: false\n', 'p.yml');
    expect(config.remoteRead.map(({ httpClient: _, ...c }) => c)).toEqual([
      { url: 'http://localhost:9009/api/v1/read', remoteTimeout: 60_000, headers: {}, readRecent: false, name: '', requiredMatchers: {}, filterExternalLabels: true },
      { url: 'https://mimir/prometheus/api/v1/read', remoteTimeout: 10_000, headers: {}, readRecent: true, name: 'mimir', requiredMatchers: { job: 'flink' }, filterExternalLabels: false },
    ]);
    expect(() => parseConfig('remote_read:\n  - {url: http://a/read, name: x}\n  - {url: http://b/read, name: x}\n', 'p.yml')).toThrow('found multiple remote read configs with job name "x"');
    expect(() => parseConfig('remote_read:\n  - {name: x}\n', 'p.yml')).toThrow('url for remote_read is empty');
  });

  it('reports an unreadable file with code read', async () => {
    await expect(loadConfig(join(tempDir(), 'missing.yml'))).rejects.toMatchObject({ code: 'read' });
  });
});
