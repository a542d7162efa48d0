import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@pyrometer/config';
import { peer, repoRoot } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const promtool = peer('promtool', 'prometheus');
const root = repoRoot();
const configs = ['deploy/prometheus.yml', 'deploy/local/prometheus.yml'];
const rules = readdirSync(join(root, 'deploy/rules')).map((f) => `deploy/rules/${f}`);

describe('deploy configs', () => {
  it.each(configs)('our loader accepts %s', async (file) => {
    const config = await loadConfig(join(root, file));
    expect(config.scrapeConfigs.map((c) => c.jobName)).toEqual(['pyrometer', 'pushgateway', 'node']);
  });

  describe.skipIf(promtool.path === undefined)(`with promtool (${promtool.missingReason ?? 'available'})`, () => {
    it.each(configs)('promtool check config accepts %s', async (file) => {
      const { stdout } = await run(promtool.path!, ['check', 'config', '--syntax-only', join(root, file)]);
      expect(stdout).toContain('SUCCESS');
    });

    it.each(rules)('promtool check rules accepts %s', async (file) => {
      const { stdout } = await run(promtool.path!, ['check', 'rules', join(root, file)]);
      expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
    });
  });
});
