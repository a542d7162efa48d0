import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { divideDurations, writeLocalAlertmanagerConfig, writeLocalServerConfig } from './stack-configs.mjs';

// What `npm start` generates from deploy/local and deploy/rules: effective ports, and with
// PYROMETER_ALERT_SPEEDUP the alerting waits divided — nothing else changed, line for line.

const root = repoRoot();
const ports = { pushgateway: 19091, node_exporter: 19100, 'webhook-receiver': 15001, alertmanager: 19093, server: 19090, 'flink-simulator': 19095 };

function context(speedup: number) {
  const dataDir = tempDir();
  for (const d of ['server', 'alertmanager']) mkdirSync(join(dataDir, d));
  return { root, dataDir, ports, interval: undefined, speedup };
}

/** The lines of `generated` that differ from `source`'s, as [source line, generated line]. */
function changedLines(source: string, generated: string): [string, string][] {
  const a = source.split('\n');
  const b = generated.split('\n');
  expect(b).toHaveLength(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]!] as [string, string]]));
}

describe('the configs npm start generates', () => {
  it('divides durations of the given keys only, whatever their units and quoting', () => {
    const text = "for: 2m\n  - for: '1h30m' # note\nfor_x: 2m\n  group_wait: 30s\n  repeat_interval: 4h\nexpr: up[5m]\n  for: 1500ms\n";
    expect(divideDurations(text, ['for', 'group_wait', 'repeat_interval'], 10)).toBe("for: 12s\n  - for: '540s' # note\nfor_x: 2m\n  group_wait: 3s\n  repeat_interval: 1440s\nexpr: up[5m]\n  for: 150ms\n");
    expect(divideDurations(text, ['for'], 1)).toBe(text);
  });

  it("points the server at the services' ports and deploy/rules without a speedup", () => {
    const ctx = context(1);
    const source = join(root, 'deploy', 'local', 'prometheus.yml');
    const aliases = writeLocalServerConfig(ctx);
    const generated = join(ctx.dataDir, 'server', 'prometheus.yml');
    expect(aliases).toEqual([{ generated, source }]);
    expect(changedLines(readFileSync(source, 'utf8'), readFileSync(generated, 'utf8')).map(([from, to]) => `${from.trim()} -> ${to.trim()}`)).toEqual([
      `- ../rules/*.rules.yml -> - ${join(root, 'deploy', 'rules', '*.rules.yml')}`,
      "- targets: ['127.0.0.1:9093'] -> - targets: ['127.0.0.1:19093']",
      "- targets: ['127.0.0.1:9090'] -> - targets: ['127.0.0.1:19090']",
      "- targets: ['127.0.0.1:9091'] -> - targets: ['127.0.0.1:19091']",
      "- targets: ['127.0.0.1:9100'] -> - targets: ['127.0.0.1:19100']",
    ]);
  });

  it("with a speedup, the server reads a copy of the rules pack whose for durations alone are divided", () => {
    const ctx = context(10);
    const aliases = writeLocalServerConfig(ctx);
    const rules = join(ctx.dataDir, 'server', 'rules');
    expect(aliases[1]).toEqual({ generated: `${rules}/`, source: `${join(root, 'deploy', 'rules')}/` });
    expect(readFileSync(join(ctx.dataDir, 'server', 'prometheus.yml'), 'utf8')).toContain(`\n  - ${join(rules, '*.rules.yml')}\n`);
    const files = readdirSync(join(root, 'deploy', 'rules')).filter((f) => f.endsWith('.rules.yml'));
    expect(readdirSync(rules).sort()).toEqual(files.sort());
    const changed = files.flatMap((f) => changedLines(readFileSync(join(root, 'deploy', 'rules', f), 'utf8'), readFileSync(join(rules, f), 'utf8')));
    expect(new Set(changed.map(([from, to]) => `${from.trim()} -> ${to.trim()}`))).toEqual(new Set(['for: 2m -> for: 12s', 'for: 1m -> for: 6s']));
  });

  it("writes the Alertmanager's config with the receiver's port, and with a speedup its timers divided", () => {
    const source = readFileSync(join(root, 'deploy', 'local', 'alertmanager.yml'), 'utf8');
    for (const speedup of [1, 10]) {
      const ctx = context(speedup);
      const [alias] = writeLocalAlertmanagerConfig(ctx);
      expect(alias).toEqual({ generated: join(ctx.dataDir, 'alertmanager', 'alertmanager.yml'), source: join(root, 'deploy', 'local', 'alertmanager.yml') });
      const changed = changedLines(source, readFileSync(alias!.generated, 'utf8')).map(([from, to]) => `${from.trim()} -> ${to.trim()}`);
      const urls = ['default', 'critical', 'warning'].map((r) => `- url: http://127.0.0.1:5001/${r} -> - url: http://127.0.0.1:15001/${r}`);
      const timers = speedup === 1 ? [] : ['group_wait: 30s -> group_wait: 3s', 'group_interval: 5m -> group_interval: 30s', 'repeat_interval: 4h -> repeat_interval: 1440s', 'group_wait: 10s -> group_wait: 1s', 'repeat_interval: 1h -> repeat_interval: 360s'];
      expect(changed).toEqual([...timers, ...urls]);
    }
  });
});
