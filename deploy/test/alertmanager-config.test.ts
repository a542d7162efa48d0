import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, peer, repoRoot, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';

// deploy/alertmanager.yml read by Debian's amtool and Alertmanager, unchanged: it loads, alerts
// land on the receiver their severity names, and a critical alert mutes the warnings of its job only.

const run = promisify(execFile);
const amtool = peer('amtool', 'prometheus-alertmanager');
const alertmanager = peer('prometheus-alertmanager', 'prometheus-alertmanager');
const config = join(repoRoot(), 'deploy/alertmanager.yml');

describe.skipIf(amtool.path === undefined)(`deploy/alertmanager.yml with amtool (${amtool.missingReason ?? 'available'})`, () => {
  it('amtool check-config accepts it', async () => {
    const { stdout } = await run(amtool.path!, ['check-config', config]);
    expect(stdout).toContain('SUCCESS');
    expect(stdout).toMatch(/1 inhibit rules\n - 3 receivers/);
  });

  it.each([
    { name: 'a critical Flink alert', labels: ['alertname=FlinkJobNotRunning', 'severity=critical', 'job_name=orders'], receiver: 'critical' },
    { name: 'a warning', labels: ['alertname=FlinkBackpressure', 'severity=warning', 'job_name=orders'], receiver: 'warning' },
    { name: 'an alert without severity', labels: ['alertname=Other'], receiver: 'default' },
  ])('routes $name to $receiver', async ({ labels, receiver }) => {
    const { stdout } = await run(amtool.path!, ['config', 'routes', 'test', `--config.file=${config}`, ...labels]);
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
