import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir, repoRoot } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { debian, debianPromtool, folderWith, ours } from './helpers.js';

const unittestDir = conformanceDir('promtool-rules-unittest');

describe('check rules', () => {
  it('prints Checking, SUCCESS with the rule count, and exits 0', async () => {
    const file = join(unittestDir, 'rules.yml');
    expect(await ours(['check', 'rules', file])).toEqual({ code: 0, stdout: `Checking ${file}\n  SUCCESS: 5 rules found\n\n`, stderr: '' });
  });

  it('reads standard input when no file is given', async () => {
    expect(await ours(['check', 'rules'], readFileSync(join(unittestDir, 'rules.yml')))).toEqual({ code: 0, stdout: 'Checking standard input\n  SUCCESS: 5 rules found\n\n', stderr: '' });
    const bad = await ours(['check', 'rules'], 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('  FAILED:\nstandard input: 5:15: group "g", rule 1, "x": could not parse expression: 1:5: parse error: unclosed left parenthesis\n');
  });

  it('prints the duplicate-rules lint as upstream, exits 3 only with --lint-fatal, and --lint=none turns it off', async () => {
    const file = join(unittestDir, 'prometheus-rules.lint.yml');
    const lint = '  FAILED:\nlint error 1 duplicate rule(s) found.\nMetric: HighRequestLatency\nLabel(s):\n\tseverity: page\nMight cause inconsistency while recording expressions\n';
    expect(await ours(['check', 'rules', file])).toEqual({ code: 0, stdout: `Checking ${file}\n\n`, stderr: lint });
    expect((await ours(['check', 'rules', '--lint-fatal', file])).code).toBe(3);
    expect(await ours(['check', 'rules', '--lint=none', '--lint-fatal', file])).toEqual({ code: 0, stdout: `Checking ${file}\n  SUCCESS: 2 rules found\n\n`, stderr: '' });
  });

  it('warns about an unknown lint option and keeps checking', async () => {
    const file = join(unittestDir, 'rules.yml');
    expect(await ours(['check', 'rules', '--lint=duplicate-rules,typo', file])).toEqual({ code: 0, stdout: `WARNING: unknown lint option: "typo"\nChecking ${file}\n  SUCCESS: 5 rules found\n\n`, stderr: '' });
  });

  it('reports errors of every file, and exits 1 when any has one', async () => {
    const dir = folderWith({ 'bad.yml': 'groups: [\n', 'good.yml': 'groups: []\n' });
    mkdirSync(join(dir, 'folder.yml'));
    const run = await ours(['check', 'rules', join(dir, 'bad.yml'), join(dir, 'folder.yml'), join(dir, 'good.yml')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`Checking ${join(dir, 'bad.yml')}\nChecking ${join(dir, 'folder.yml')}\nChecking ${join(dir, 'good.yml')}\n  SUCCESS: 0 rules found\n\n`);
    expect(run.stderr).toMatch(/^ {2}FAILED:\n\S+bad\.yml: 2:1: .+\n {2}FAILED:\n\S+folder\.yml: EISDIR: illegal operation on a directory, read\n$/);
  });

  it.runIf(debianPromtool.path !== undefined)('agrees with Debian’s promtool on the deploy rule files and the conformance files', async () => {
    const files = [join(repoRoot(), 'deploy/rules/flink.rules.yml'), ...['rules.yml', 'rules-bad.yml', 'rules_duplicates.yml', 'prometheus-rules.lint.yml'].map((f) => join(unittestDir, f))];
    for (const file of files) {
      const [mine, theirs] = [await ours(['check', 'rules', file]), await debian(['check', 'rules', file])];
      expect(mine.code, file).toBe(theirs.code);
      // 2.42 still printed a blank line after a file with errors (3.x does not) and no position for template errors.
      expect(mine.stdout, file).toBe(theirs.stdout.replace(/(Checking \S+rules-bad\.yml\n)\n/, '$1'));
      expect(mine.stderr.replace(/rules-bad\.yml: 12:11: /, 'rules-bad.yml: '), file).toBe(theirs.stderr);
    }
  });
});

describe('check config', () => {
  const root = repoRoot();

  it('checks the config and then its rule files', async () => {
    const file = join(root, 'deploy/local/prometheus.yml');
    const run = await ours(['check', 'config', file]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Checking ${file}\\n  SUCCESS: \\d+ rule files found\\n SUCCESS: ${file} is valid prometheus config file syntax\\n\\nChecking ${join(root, 'deploy/rules')}/\\S+\\.rules\\.yml\\n  SUCCESS: \\d+ rules found\\n\\n`));
  });

  it('--syntax-only does not look at referenced files', async () => {
    const dir = folderWith({ 'prometheus.yml': 'rule_files: [missing.yml]\n' });
    const file = join(dir, 'prometheus.yml');
    expect(await ours(['check', 'config', '--syntax-only', file])).toEqual({ code: 0, stdout: `Checking ${file}\n SUCCESS: ${file} is valid prometheus config file syntax\n\n`, stderr: '' });
    expect(await ours(['check', 'config', file])).toEqual({ code: 1, stdout: `Checking ${file}\n\n`, stderr: `  FAILED: ${JSON.stringify(join(dir, 'missing.yml'))} does not point to an existing file\n` });
  });

  it.each([
    { name: 'a config error with its position', config: 'scrape_configs:\n  - job_name: x\n    scrape_interval: soon\n', problem: /prometheus\.yml:3:22: .*"soon"/ },
    { name: 'a missing credentials file', config: 'scrape_configs:\n  - job_name: x\n    authorization:\n      credentials_file: /nonexistent/token\n', problem: /error checking authorization credentials or bearer token file "\/nonexistent\/token"/ },
    { name: 'a missing client certificate', config: 'scrape_configs:\n  - job_name: x\n    tls_config:\n      cert_file: /nonexistent/cert\n      key_file: /nonexistent/key\n', problem: /error checking client cert file "\/nonexistent\/cert"/ },
    { name: 'rule_files in agent mode', config: 'rule_files: [r.yml]\n', args: ['--agent'], problem: /field rule_files is not allowed in agent mode/ },
    { name: 'a file_sd file that is not target groups', config: 'scrape_configs:\n  - job_name: x\n    file_sd_configs:\n      - files: [targets.json]\n', problem: /checking SD file "\S+targets\.json": target group 0: targets must be a list of strings/ },
  ])('fails on $name', async ({ config, problem, args }) => {
    const dir = folderWith({ 'prometheus.yml': config, 'targets.json': '[{"targets": [1]}]' });
    const run = await ours(['check', 'config', ...(args ?? []), join(dir, 'prometheus.yml')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(problem);
  });

  it('lints scrape intervals as long as the lookback delta, fatal with --lint-fatal', async () => {
    const dir = folderWith({ 'prometheus.yml': 'scrape_configs:\n  - job_name: slow\n    scrape_interval: 10m\n    scrape_timeout: 10s\n' });
    const file = join(dir, 'prometheus.yml');
    const lint = '  FAILED: too long scrape interval found, data point will be marked as stale - job: slow, interval: 10m\n';
    expect(await ours(['check', 'config', '--lint=all', file])).toMatchObject({ code: 0, stderr: lint });
    expect(await ours(['check', 'config', '--lint=too-long-scrape-interval', '--lint-fatal', file])).toMatchObject({ code: 3, stderr: lint });
    expect(await ours(['check', 'config', '--lint=all', '--query.lookback-delta=15m', file])).toMatchObject({ code: 0, stderr: '' });
  });

  it('warns about file_sd files that do not exist', async () => {
    const dir = folderWith({ 'prometheus.yml': 'scrape_configs:\n  - job_name: x\n    file_sd_configs:\n      - files: [nothing/*.json]\n' });
    const run = await ours(['check', 'config', join(dir, 'prometheus.yml')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`  WARNING: file ${JSON.stringify(join(dir, 'nothing/*.json'))} for file_sd in scrape job "x" does not exist\n`);
  });
});

describe('check metrics', () => {
  const EXPOSITION = [
    '# HELP a_seconds x',
    '# TYPE a_seconds counter',
    'a_seconds{fooBar="1"} 1',
    '# TYPE http_requests_total gauge',
    'http_requests_total 3',
    'bad_ms 4',
    '# HELP x_milliseconds y',
    '# TYPE x_milliseconds gauge',
    'x_milliseconds 1',
    '# HELP job:rate x',
    '# TYPE job:rate gauge',
    'job:rate 1',
    '# HELP h_count c',
    '# TYPE h_count gauge',
    'h_count{le="1"} 1',
    'h_count{le="1"} 2',
    '# HELP lat_seconds h',
    '# TYPE lat_seconds histogram',
    'lat_seconds_bucket{le="1"} 1',
    'lat_seconds_bucket{le="+Inf"} 1',
    'lat_seconds_sum 1',
    'lat_seconds_count 1',
    '# HELP q_summary s',
    '# TYPE q_summary summary',
    'q_summary{quantile="0.5"} 1',
    'q_summary_sum 1',
    'q_summary_count 1',
    '',
  ].join('\n');

  it('prints promlint’s problems sorted by metric, and exits 3', async () => {
    const run = await ours(['check', 'metrics'], EXPOSITION);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toContain('h_count metric not unique');
    expect(run.stderr.split('\n').slice(0, 3)).toEqual(['a_seconds counter metrics should have "_total" suffix', "a_seconds label names should be written in 'snake_case' not 'camelCase'", 'bad_ms metric names should not contain abbreviated units']);
  });

  it.runIf(debianPromtool.path !== undefined)('finds what Debian’s promtool finds', async () => {
    const [mine, theirs] = [await ours(['check', 'metrics'], EXPOSITION), await debian(['check', 'metrics'], EXPOSITION)];
    expect(mine.code).toBe(theirs.code);
    // "metric not unique" is a newer promlint check than 2.42's.
    expect(mine.stderr.split('\n').filter((l) => !l.endsWith('metric not unique'))).toEqual(theirs.stderr.split('\n'));
  });

  it('--extended prints the cardinality table', async () => {
    const run = await ours(['check', 'metrics', '--extended', '--lint=none'], EXPOSITION);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual(['Metric                 Cardinality    Percentage    ', 'lat_seconds            4              28.57%        ', 'q_summary              3              21.43%        ']);
    expect(run.stdout).toContain('Total                  14             100%          \n');
  });

  it('accepts a clean exposition', async () => {
    expect(await ours(['check', 'metrics'], '# HELP up_seconds_total x\n# TYPE up_seconds_total counter\nup_seconds_total 1\n')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it.each([
    { name: 'binary input', stdin: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff, 0x0a]) },
    { name: 'a line without its newline', stdin: 'up 1' },
    { name: 'a type conflict', stdin: '# TYPE a gauge\n# TYPE a counter\na 1\n' },
  ])('reports $name as a parse error with exit code 1', async ({ stdin }) => {
    const run = await ours(['check', 'metrics'], stdin);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error while linting: .+\n$/);
  });

  it('needs --extended or linting', async () => {
    expect(await ours(['check', 'metrics', '--lint=none'], 'up 1\n')).toMatchObject({ code: 1, stderr: 'error: at least one of --extended or linting must be enabled\nUse --extended for cardinality analysis, or remove --lint=none to enable linting\n' });
  });
});
