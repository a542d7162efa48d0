import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { peer, repoRoot } from '@pyrometer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAlertmanager } from './helpers.js';

const amtool = peer('amtool', 'prometheus-alertmanager');
const run = promisify(execFile);

// Debian's amtool (0.25), unchanged, against our Alertmanager: every command users rely on.
describe.skipIf(amtool.missingReason !== undefined)(`Debian amtool against ours${amtool.missingReason ? ` — skipped: ${amtool.missingReason}` : ''}`, () => {
  let am: Awaited<ReturnType<typeof startTestAlertmanager>>;
  const tool = async (...args: string[]) => {
    const { stdout, stderr } = await run(amtool.path!, [`--alertmanager.url=${am.url}/`, ...args], { timeout: 15_000 });
    return { stdout, stderr };
  };

  beforeAll(async () => {
    const { readFileSync } = await import('node:fs');
    am = await startTestAlertmanager(readFileSync(join(repoRoot(), 'deploy', 'alertmanager.yml'), 'utf8'));
  });
  afterAll(async () => {
    await am.close();
  });

  it('check-config accepts the deploy config', async () => {
    const { stdout } = await run(amtool.path!, ['check-config', join(repoRoot(), 'deploy', 'alertmanager.yml')]);
    expect(stdout).toContain('SUCCESS');
  });

  it('alert add and alert query', async () => {
    await tool('alert', 'add', 'alertname=FlinkJobRestarting', 'severity=critical', 'job_name=orders', '--annotation=summary=restart loop');
    await tool('alert', 'add', 'FlinkBackpressure', 'severity=warning', 'job_name=orders');
    const { stdout } = await tool('alert', 'query');
    expect(stdout).toMatch(/FlinkJobRestarting/);
    expect(stdout).not.toMatch(/FlinkBackpressure/);
    const inhibited = await tool('alert', 'query', '--inhibited', 'severity=warning', '-o', 'json');
    const list = JSON.parse(inhibited.stdout) as { labels: Record<string, string>; status: { inhibitedBy: string[] } }[];
    expect(list.map((a) => a.labels['alertname'])).toEqual(['FlinkBackpressure']);
    expect(list[0]!.status.inhibitedBy).toHaveLength(1);
  });

  it('silence add, query, update, expire and import', async () => {
    const id = (await tool('silence', 'add', 'alertname=FlinkJobRestarting', '--comment=deploy', '--author=ops', '--duration=1h')).stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await tool('silence', 'query', '-q')).stdout.trim()).toBe(id);
    const silenced = JSON.parse((await tool('alert', 'query', '--silenced', '-o', 'json', 'alertname=FlinkJobRestarting')).stdout) as { status: { silencedBy: string[] } }[];
    expect(silenced[0]!.status.silencedBy).toEqual([id]);
    const updated = (await tool('silence', 'update', id, '--duration=2h', '--comment=longer')).stdout;
    expect(updated).toContain(id);
    const exported = (await tool('silence', 'query', '-o', 'json')).stdout;
    expect(JSON.parse(exported)[0].comment).toBe('longer');
    await tool('silence', 'expire', id);
    expect((await tool('silence', 'query', '-q')).stdout.trim()).toBe('');
    expect((await tool('silence', 'query', '--expired', '-q')).stdout.trim()).toBe(id);
    const { writeFileSync } = await import('node:fs');
    const file = join(am.dir, 'silences.json');
    writeFileSync(file, exported.replace(/"endsAt":"[^"]+"/, `"endsAt":"${new Date(Date.now() + 3_600_000).toISOString()}"`));
    await tool('silence', 'import', file);
    expect((await tool('silence', 'query', '-o', 'json')).stdout).toContain('"comment":"longer"');
  });

  it('config show prints config.original; config routes show and test parse it', async () => {
    const show = (await tool('config', 'show')).stdout;
    expect(show).toContain('receiver: default');
    // Hidden, in a form amtool 0.25 still parses (0.28 writes `<secret>`; see the package README).
    expect(show).toContain('url: http://secret.invalid/<secret>');
    expect(show).not.toContain('webhook-receiver:5001');
    const routes = (await tool('config', 'routes', 'show')).stdout;
    expect(routes).toContain('critical');
    expect((await tool('config', 'routes', 'test', 'severity=critical', 'job_name=orders')).stdout.trim()).toBe('critical');
    expect((await tool('config', 'routes', 'test', 'severity=info')).stdout.trim()).toBe('default');
  });
});
