import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { api, eventually, startServer, startTarget } from './harness.js';

type Alerts = { data: { alerts: { labels: Record<string, string>; state: string; activeAt: string; value: string }[] } };
type Vector = { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };

const config = (target: string) => `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n  external_labels: {cluster: test}\nrule_files:\n  - rules/*.yml\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['${target}']\n`;
const RULES = `groups:
  - name: app
    rules:
      - record: job:app_errors:sum
        expr: sum by (job) (app_errors)
      - alert: ErrorsHigh
        expr: job:app_errors:sum > 1
        labels: {severity: page}
      - alert: ErrorsPending
        expr: job:app_errors:sum > 1
        for: 10m
`;

describe('rules in the server (real TSDB)', () => {
  it('records, fires alerts, writes ALERTS, serves the API and metrics, and reloads keeping alert state', async () => {
    const dir = tempDir();
    const target = await startTarget(() => 'app_errors{path="/a"} 2\napp_errors{path="/b"} 3\n');
    writeFileSync(join(dir, 'prometheus.yml'), config(target.address));
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'app.yml'), RULES);
    const server = await startServer(dir, config(target.address), ['--web.enable-lifecycle']);
    const base = `http://127.0.0.1:${server.port}`;
    try {
      const recorded = await eventually(async () => (await api<Vector>(base, '/api/v1/query?query=job:app_errors:sum')).data.result[0], 20_000, 'the recording rule');
      expect(recorded.metric).toEqual({ __name__: 'job:app_errors:sum', job: 'app' });
      expect(recorded.value[1]).toBe('5');

      const firing = await eventually(async () => (await api<Alerts>(base, '/api/v1/alerts')).data.alerts.find((a) => a.state === 'firing'), 20_000, 'a firing alert');
      expect(firing).toMatchObject({ labels: { alertname: 'ErrorsHigh', job: 'app', severity: 'page' }, value: '5e+00' });
      // ALERTS is written once the `for` state is restored, after the second round.
      const alerts = await eventually(async () => {
        const r = (await api<Vector>(base, '/api/v1/query?query=ALERTS')).data.result;
        return r.length === 2 ? r : undefined;
      }, 20_000, 'ALERTS series');
      expect(alerts.map((s) => [s.metric['alertname'], s.metric['alertstate']]).sort()).toEqual([
        ['ErrorsHigh', 'firing'],
        ['ErrorsPending', 'pending'],
      ]);

      const rules = await api<{ data: { groups: { name: string; file: string; rules: { name: string; health: string; type: string }[] }[] } }>(base, '/api/v1/rules');
      expect(rules.data.groups.map((g) => [g.name, g.file, g.rules.map((r) => [r.name, r.type, r.health])])).toEqual([
        ['app', join(dir, 'rules', 'app.yml'), [['job:app_errors:sum', 'recording', 'ok'], ['ErrorsHigh', 'alerting', 'ok'], ['ErrorsPending', 'alerting', 'ok']]],
      ]);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(new RegExp(`^prometheus_rule_evaluations_total\\{rule_group="${join(dir, 'rules', 'app.yml').replace(/[/.]/g, '\\$&')};app"\\} [1-9]`, 'm'));
      expect(metrics).toContain('prometheus_rule_group_rules{rule_group=');

      // A bad rule file is rejected and the old rules keep running with their alerts.
      const pendingBefore = (await api<Alerts>(base, '/api/v1/alerts')).data.alerts.find((a) => a.labels['alertname'] === 'ErrorsPending')!;
      writeFileSync(join(dir, 'rules', 'app.yml'), 'groups:\n  - name: app\n    rules:\n      - record: x\n        expr: "sum("\n');
      const bad = await fetch(`${base}/-/reload`, { method: 'POST' });
      expect(bad.status).toBe(500);
      expect(await bad.text()).toContain(`${join(dir, 'rules', 'app.yml')}: 5:15: group "app", rule 1, "x": could not parse expression`);
      // An unchanged group keeps its alerts; so does a changed one, for the rules it keeps.
      writeFileSync(join(dir, 'rules', 'app.yml'), RULES.replace('  - name: app\n', '  - name: app\n    limit: 100\n'));
      expect((await fetch(`${base}/-/reload`, { method: 'POST' })).status).toBe(200);
      const pendingAfter = (await api<Alerts>(base, '/api/v1/alerts')).data.alerts.find((a) => a.labels['alertname'] === 'ErrorsPending');
      expect(pendingAfter?.activeAt).toBe(pendingBefore.activeAt);
      expect((await api<{ data: { groups: { limit: number }[] } }>(base, '/api/v1/rules')).data.groups[0]!.limit).toBe(100);
    } finally {
      await server.stop();
      target.server.close();
    }
  }, 60_000);

  it('refuses to start with a bad rule file, naming it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'app.yml'), 'groups:\n  - name: app\n    rules:\n      - alert: X\n        record: y\n        expr: up\n');
    await expect(startServer(dir, config('127.0.0.1:1'))).rejects.toThrow(`${join(dir, 'rules', 'app.yml')}: 5:17: group "app", rule 1, "X": only one of 'record' and 'alert' must be set`);
  });

  it('restores the `for` state of pending alerts after a restart', async () => {
    const dir = tempDir();
    const target = await startTarget(() => 'app_errors{path="/a"} 2\n');
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'app.yml'), RULES);
    const flags = ['--rules.alert.for-grace-period=1s'];
    let server = await startServer(dir, config(target.address), flags);
    let base = `http://127.0.0.1:${server.port}`;
    const pending = async () => (await api<Alerts>(base, '/api/v1/alerts')).data.alerts.find((a) => a.labels['alertname'] === 'ErrorsPending');
    try {
      // Wait until ALERTS_FOR_STATE has been written a few times.
      await eventually(async () => ((await api<Vector>(base, '/api/v1/query?query=ALERTS_FOR_STATE{alertname="ErrorsPending"}')).data.result.length > 0 ? true : undefined), 20_000, 'ALERTS_FOR_STATE');
      const before = Date.parse((await pending())!.activeAt);
      // Pending long enough that the credited time outweighs the rounds a restart takes to restore.
      await eventually(async () => (Date.now() - before > 8000 ? true : undefined), 20_000, 'eight seconds pending');
      await server.stop();
      const restartedAt = Date.now();
      server = await startServer(dir, config(target.address), flags);
      base = `http://127.0.0.1:${server.port}`;
      // Before restoration the alert is new (activeAt after the restart); afterwards it has its time back, moved by the downtime.
      const restored = await eventually(async () => {
        const a = await pending();
        return a !== undefined && Date.parse(a.activeAt) < restartedAt ? Date.parse(a.activeAt) : undefined;
      }, 20_000, 'the restored activeAt');
      expect(restored).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    } finally {
      await server.stop();
      target.server.close();
    }
  }, 60_000);

  it('sends firing and then resolved alerts to an Alertmanager through the notifier', async () => {
    const dir = tempDir();
    let errors = 2;
    const target = await startTarget(() => `app_errors{path="/a"} ${errors}\n`);
    const posted: { labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string; generatorURL: string }[][] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/api/v2/alerts') posted.push(JSON.parse(body));
        res.writeHead(200).end();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'app.yml'), 'groups:\n  - name: app\n    rules:\n      - alert: ErrorsHigh\n        expr: app_errors > 1\n        labels: {severity: page}\n        annotations: {summary: too many errors}\n');
    const alerting = `alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['127.0.0.1:${(receiver.address() as AddressInfo).port}']\n`;
    const server = await startServer(dir, config(target.address) + alerting, ['--web.external-url=http://prom.example:9090']);
    try {
      const firing = await eventually(async () => posted.flat().find((a) => a.labels['alertname'] === 'ErrorsHigh'), 20_000, 'the firing alert at the receiver');
      expect(firing).toMatchObject({ labels: { alertname: 'ErrorsHigh', severity: 'page', job: 'app', path: '/a', cluster: 'test', instance: target.address }, annotations: { summary: 'too many errors' }, generatorURL: 'http://prom.example:9090/graph?g0.expr=app_errors+%3E+1&g0.tab=1' });
      // A firing alert is valid for 4 × max(interval, resend delay) = 4m.
      expect(Date.parse(firing.endsAt) - Date.parse(firing.startsAt)).toBe(240_000);
      errors = 0;
      const resolved = await eventually(async () => posted.flat().find((a) => Date.parse(a.endsAt) <= Date.now()), 20_000, 'the resolved alert at the receiver');
      expect(resolved.startsAt).toBe(firing.startsAt);
    } finally {
      await server.stop();
      target.server.close();
      receiver.close();
    }
  }, 60_000);
});
