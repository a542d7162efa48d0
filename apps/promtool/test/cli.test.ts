import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { debian, debianPromtool, folderWith, ours } from './helpers.js';

// The command line as kingpin reads it: usage, --version, and one `error:` line with exit code 2
// for every command-line mistake (kingpin itself exits 1; 2 keeps "bad usage" apart from "the
// checked files are bad", and is what our other binaries do).

describe('promtool command line', () => {
  it('prints the usage without a command, and for a command with --help or help', async () => {
    const top = await ours([]);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^usage: pyrometer-promtool \[<flags>\] <command> \[<args> \.\.\.\]\n\nTooling for the Prometheus monitoring system\.\n/);
    for (const command of ['check config', 'check rules', 'check metrics', 'test rules', 'query instant', 'query range', 'query series', 'query labels']) expect(top.stdout).toContain(`  ${command}\n`);
    const rules = await ours(['test', 'rules', '--help']);
    expect(rules.code).toBe(0);
    expect(rules.stdout).toContain('usage: pyrometer-promtool test rules [<flags>] <test-rule-file>...');
    expect(rules.stdout).toContain('--run=<string> ...');
    expect(rules.stdout).toContain('--junit=<string>');
    expect((await ours(['help', 'check', 'config'])).stdout).toContain('--[no-]syntax-only');
  });

  it('prints the version in upstream’s layout', async () => {
    const run = await ours(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^pyrometer-promtool, version \S+ \(branch: .*\)\n {2}build user: .*\n {2}build date: .*\n {2}go version: +node\S+\n {2}platform: +\S+\n$/);
  });

  it.each([
    { argv: ['--bogus'], line: "unknown long flag '--bogus'" },
    { argv: ['check', 'nothing'], line: 'expected command but got "nothing"' },
    { argv: ['check'], line: "must select a subcommand of 'check'" },
    { argv: ['test', 'rules'], line: "required argument 'test-rule-file' not provided" },
    { argv: ['check', 'rules', '/nonexistent/rules.yml'], line: "path '/nonexistent/rules.yml' does not exist" },
    { argv: ['check', 'rules', '--lint'], line: "expected argument for flag '--lint'" },
    { argv: ['query', 'instant', 'http://127.0.0.1:1'], line: "required argument 'expr' not provided" },
    { argv: ['query', 'series', 'http://127.0.0.1:1'], line: "required flag(s) '--match' not provided" },
    { argv: ['query', '-o', 'yaml', 'instant', 'a', 'b'], line: 'invalid value "yaml" for flag \'--format\': expected one of promql, json' },
    { argv: ['query', 'range', '--step=often', 'a', 'b'], line: 'invalid value "often" for flag \'--step\'' },
    { argv: ['query', 'range', '--header', 'novalue', 'http://127.0.0.1:1', 'up'], line: "expected KEY=VALUE got 'novalue'" },
    { argv: ['query', 'instant', 'http://[::1', 'up'], line: 'invalid URL "http://[::1" for argument \'server\'' },
  ])('exits 2 with one line for $argv', async ({ argv, line }) => {
    const run = await ours(argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith(`pyrometer-promtool: error: ${line}`)).toBe(true);
    expect(run.stderr.endsWith(', try --help\n')).toBe(true);
    expect(run.stderr.split('\n')).toHaveLength(2);
  });

  it.runIf(debianPromtool.path !== undefined)('words usage mistakes as Debian’s promtool does', async () => {
    for (const argv of [['--bogus'], ['check', 'nothing'], ['test', 'rules'], ['check', 'rules', '/nonexistent/rules.yml']]) {
      const [mine, theirs] = [await ours(argv), await debian(argv)];
      expect(mine.stderr.replace('pyrometer-promtool:', 'promtool:')).toBe(theirs.stderr);
    }
  });

  it('warns about unknown features and runs', async () => {
    const dir = folderWith({ 'rules.yml': 'groups: []\n' });
    const run = await ours(['--enable-feature=promql-experimental-functions,nope', 'check', 'rules', join(dir, 'rules.yml')]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('  WARNING: Unknown feature passed to --enable-feature: nope');
  });
});
