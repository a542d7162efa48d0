import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@pyrometer/config';
import { bufferIO, runPromtool } from '@pyrometer/promtool';
import { peer, repoRoot } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';

// The deploy files through promtool: Debian's (2.42) and ours check the configs and rule files,
// and run the rule unit tests (deploy/rules/*.test.yml).

const run = promisify(execFile);
const promtool = peer('promtool', 'prometheus');
const root = repoRoot();
const configs = ['deploy/prometheus.yml', 'deploy/local/prometheus.yml'];
const files = readdirSync(join(root, 'deploy/rules'));
const rules = files.filter((f) => f.endsWith('.rules.yml')).map((f) => `deploy/rules/${f}`);
const unitTests = files.filter((f) => f.endsWith('.test.yml')).map((f) => `deploy/rules/${f}`);

async function ours(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = bufferIO();
  const code = await runPromtool(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('deploy configs', () => {
  it('has rule files and unit tests for them', () => {
    expect(rules).toEqual(['deploy/rules/flink-alerts.rules.yml', 'deploy/rules/flink.rules.yml']);
    expect(unitTests).toEqual(['deploy/rules/flink-alerts.test.yml', 'deploy/rules/flink.test.yml']);
  });

  it.each(configs)('our loader accepts %s', async (file) => {
    const config = await loadConfig(join(root, file));
    expect(config.scrapeConfigs.map((c) => c.jobName)).toEqual(['pyrometer', 'pushgateway', 'node']);
  });

  describe('with our promtool', () => {
    it('check config accepts deploy/local/prometheus.yml and the rule files it names', async () => {
      const result = await ours(['check', 'config', join(root, 'deploy/local/prometheus.yml')]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      for (const file of rules) expect(result.stdout).toContain(`Checking ${join(root, file)}\n  SUCCESS:`);
    });

    it.each(configs)('check config --syntax-only accepts %s', async (file) => {
      expect(await ours(['check', 'config', '--syntax-only', join(root, file)])).toMatchObject({ code: 0, stderr: '' });
    });

    it.each(rules)('check rules --lint-fatal accepts %s', async (file) => {
      const result = await ours(['check', 'rules', '--lint-fatal', join(root, file)]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/SUCCESS: \d+ rules found/);
    });

    it.each(unitTests)('test rules passes %s', async (file) => {
      expect(await ours(['test', 'rules', join(root, file)])).toEqual({ code: 0, stdout: '  SUCCESS\n\n', stderr: '' });
    });
  });

  describe.skipIf(promtool.path === undefined)(`with Debian's promtool (${promtool.missingReason ?? 'available'})`, () => {
    it.each(configs)('promtool check config accepts %s', async (file) => {
      const { stdout } = await run(promtool.path!, ['check', 'config', '--syntax-only', join(root, file)]);
      expect(stdout).toContain('SUCCESS');
    });

    it.each(rules)('promtool check rules accepts %s', async (file) => {
      const { stdout } = await run(promtool.path!, ['check', 'rules', '--lint-fatal', join(root, file)]);
      expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
    });

    it.each(unitTests)('promtool test rules passes %s', async (file) => {
      const { stdout } = await run(promtool.path!, ['test', 'rules', join(root, file)]);
      expect(stdout).toContain('SUCCESS');
    });
  });
});
