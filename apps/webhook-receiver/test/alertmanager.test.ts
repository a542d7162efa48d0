import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, freePort, peer, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { startTestReceiver } from './helpers.js';

// Debian's Alertmanager (upstream 0.25) notifies the receiver through a plain webhook_config: the
// firing and the resolved notification are printed, listed on the page and in the API, with the
// path naming the webhook_config that sent them.

const alertmanager = peer('prometheus-alertmanager', 'prometheus-alertmanager');

describe.skipIf(alertmanager.path === undefined)(`notifications from upstream's Alertmanager (${alertmanager.missingReason ?? 'available'})`, () => {
  it('prints, lists and serves the firing and the resolved notification of a group', async () => {
    const receiver = await startTestReceiver();
    const dir = tempDir();
    const config = join(dir, 'alertmanager.yml');
    writeFileSync(config, `route: {receiver: team, group_by: [alertname, job_name], group_wait: 0s, group_interval: 1s}\nreceivers:\n  - name: team\n    webhook_configs: [{url: '${receiver.url}/team', send_resolved: true}]\n`);
    const port = await freePort();
    const am = `http://127.0.0.1:${port}`;
    await startProcess(alertmanager.path!, [`--config.file=${config}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], { readyUrl: `${am}/-/ready`, stopWithTest: true });
    const alert = { labels: { alertname: 'FlinkBackpressure', job_name: 'orders', task_name: 'Source', severity: 'warning' }, annotations: { summary: 'Task Source of Flink job orders is backpressured', runbook: 'Find the first task downstream that is busy.' } };
    const post = (body: unknown) => fetch(`${am}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post([alert])).status).toBe(200);
    await eventually(async () => (receiver.inbox.total >= 1 ? true : undefined), 20_000, 'the firing notification');
    expect((await post([{ ...alert, endsAt: new Date(Date.now() - 1000).toISOString() }])).status).toBe(200);
    await eventually(async () => (receiver.inbox.total >= 2 ? true : undefined), 20_000, 'the resolved notification');

    expect(receiver.printed).toEqual([
      'notification #1 for receiver "team" (POST /team): FIRING {alertname="FlinkBackpressure", job_name="orders"} — 1 firing, 0 resolved',
      '  firing   FlinkBackpressure: Task Source of Flink job orders is backpressured {severity="warning", task_name="Source"}',
      'notification #2 for receiver "team" (POST /team): RESOLVED {alertname="FlinkBackpressure", job_name="orders"} — 0 firing, 1 resolved',
      '  resolved FlinkBackpressure: Task Source of Flink job orders is backpressured {severity="warning", task_name="Source"}',
    ]);
    const api = (await (await fetch(`${receiver.url}/api/notifications`)).json()) as { total: number; notifications: { id: number; path: string; payload: { status: string; receiver: string; externalURL: string; groupKey: string } }[] };
    expect(api.total).toBe(2);
    expect(api.notifications.map((n) => [n.id, n.path, n.payload.receiver, n.payload.status])).toEqual([[2, '/team', 'team', 'resolved'], [1, '/team', 'team', 'firing']]);
    expect(api.notifications[0]!.payload.groupKey).toBe('{}:{alertname="FlinkBackpressure", job_name="orders"}');
    const page = await (await fetch(`${receiver.url}/`)).text();
    expect(page).toContain('2 received since the start');
    expect(page.indexOf('RESOLVED')).toBeLessThan(page.indexOf('FIRING'));
    expect(page).toContain('<strong>runbook</strong>: Find the first task downstream that is busy.');
    expect(page).toContain(`<a href="${api.notifications[0]!.payload.externalURL}">Alertmanager</a>`);
  }, 60_000);
});
