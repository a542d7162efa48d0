import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, peer, repoRoot, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// deploy/alertmanager.yml (compose) and deploy/local/alertmanager.yml (npm start) read by Debian's
// amtool and Alertmanager, unchanged: they load, alerts land on the receiver their severity names,
// and a critical alert mutes the warnings of its job only. The two files differ only in where the
// receivers point.

const run = promisify(execFile);
const amtool = peer('amtool', 'prometheus-alertmanager');
const alertmanager = peer('prometheus-alertmanager', 'prometheus-alertmanager');
const config = join(repoRoot(), 'deploy/alertmanager.yml');
const localConfig = join(repoRoot(), 'deploy/local/alertmanager.yml');

type Receivers = { name: string; webhook_configs: { url: string; send_resolved: boolean }[] }[];

describe('deploy/local/alertmanager.yml', () => {
  const compose = parse(readFileSync(config, 'utf8')) as Record<string, unknown> & { receivers: Receivers };
  const local = parse(readFileSync(localConfig, 'utf8')) as Record<string, unknown> & { receivers: Receivers; route: Record<string, unknown> };

  it("has compose's routing tree, inhibition and receivers, and differs only in the webhook URLs", () => {
    const withoutUrls = (c: typeof compose) => ({ ...c, receivers: c.receivers.map((r) => ({ ...r, webhook_configs: r.webhook_configs.map(({ url: _url, ...rest }) => rest) })) });
    expect(withoutUrls(local)).toEqual(withoutUrls(compose));
    expect(compose.receivers.map((r) => r.webhook_configs.map((w) => w.url))).toEqual(compose.receivers.map((r) => [`http://webhook-receiver:5001/${r.name}`]));
  });

  it("points every receiver at the local webhook receiver, on a path named after the receiver", () => {
    expect(local.receivers.map((r) => r.webhook_configs.map((w) => w.url))).toEqual(local.receivers.map((r) => [`http://127.0.0.1:5001/${r.name}`]));
  });

  it('sets every timer at the root, so PYROMETER_ALERT_SPEEDUP divides what applies to every route', () => {
    expect(Object.keys(local.route)).toEqual(expect.arrayContaining(['group_wait', 'group_interval', 'repeat_interval']));
  });
});

describe.skipIf(amtool.path === undefined).each([config, localConfig])(`%s with amtool (${amtool.missingReason ?? 'available'})`, (file) => {
  it('amtool check-config accepts it', async () => {
    const { stdout } = await run(amtool.path!, ['check-config', file]);
    expect(stdout).toContain('SUCCESS');
    expect(stdout).toMatch(/1 inhibit rules\n - 3 receivers/);
  });

  it.each([
    { name: 'a critical Flink alert', labels: ['alertname=FlinkJobNotRunning', 'severity=critical', 'job_name=orders'], receiver: 'critical' },
    { name: 'a warning', labels: ['alertname=FlinkBackpressure', 'severity=warning', 'job_name=orders'], receiver: 'warning' },
    { name: 'an alert without severity', labels: ['alertname=Other'], receiver: 'default' },
  ])('routes $name to $receiver', async ({ labels, receiver }) => {
    const { stdout } = await run(amtool.path!, ['config', 'routes', 'test', `--config.file=${file}`, ...labels]);
    expect(stdout.trim()).toBe(receiver);
  });
});

describe.skipIf(alertmanager.path === undefined)(`deploy/alertmanager.yml in Alertmanager (${alertmanager.missingReason ?? 'available'})`, () => {
  it('inhibits the warnings of a job that has a critical alert, and nothing else', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // --cluster.listen-address= turns gossip off: one instance on a free loopback port.
    const args = [`--config.file=${config}`, `--storage.path=${tempDir()}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='];
    await startProcess(alertmanager.path!, args, { readyUrl: `${url}/-/ready`, stopWithTest: true });
    const alert = (alertname: string, severity: string, jobName?: string) => ({ labels: { alertname, severity, cluster: 'demo', ...(jobName === undefined ? {} : { job_name: jobName }) } });
    const sent = [alert('JobDown', 'critical', 'orders'), alert('Backpressure', 'warning', 'orders'), alert('Backpressure', 'warning', 'payments'), alert('TaskManagerLost', 'critical'), alert('PushgatewayStale', 'warning')];
    const post = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(sent) });
    expect(post.status).toBe(200);
    const alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as { labels: Record<string, string>; status: { state: string } }[];
    const states = Object.fromEntries(alerts.map((a) => [`${a.labels['alertname']}/${a.labels['job_name'] ?? '-'}`, a.status.state]));
    expect(states).toEqual({ 'JobDown/orders': 'active', 'Backpressure/orders': 'suppressed', 'Backpressure/payments': 'active', 'TaskManagerLost/-': 'active', 'PushgatewayStale/-': 'active' });
  });
});
