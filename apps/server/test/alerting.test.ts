import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseFlags } from '@pyrometer/cli';
import { Labels } from '@pyrometer/model';
import { tempDir } from '@pyrometer/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SERVER_FLAGS, serverOptions } from '../src/flags.js';
import { api, startServer } from './harness.js';

interface Posted {
  path: string;
  alerts: { labels: Record<string, string>; generatorURL: string; startsAt: string; endsAt: string }[];
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

/**
 * An Alertmanager stand-in on 127.0.0.1:0 recording what it is posted; `held` delays answers until
 * released. A GET answers an http_sd document listing itself.
 */
async function alertmanager(): Promise<{ address: string; posted: Posted[]; hold: (on: boolean) => void }> {
  const posted: Posted[] = [];
  let held: (() => void)[] | undefined;
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ targets: [address], labels: { via: 'http_sd' } }]));
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posted.push({ path: req.url ?? '', alerts: JSON.parse(body) as Posted['alerts'] });
      const answer = () => res.writeHead(200).end();
      if (held) held.push(answer);
      else answer();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
  const hold = (on: boolean): void => {
    if (on) held ??= [];
    else for (const answer of (held ?? []).splice(0)) answer();
    if (!on) held = undefined;
  };
  return { address, posted, hold };
}

const ruleAlert = (name: string) => ({ labels: Labels.from({ alertname: name, severity: 'page' }), annotations: Labels.from({ summary: name }), firedAt: Date.now(), resolvedAt: 0, validUntil: Date.now() + 240_000 });

describe('alerting in the server', () => {
  it('discovers Alertmanagers from the config (static and file SD, relabeling), sends rule alerts with external labels and generatorURL, and follows reloads', async () => {
    const [a, b] = [await alertmanager(), await alertmanager()];
    const dir = tempDir();
    writeFileSync(join(dir, 'ams.json'), JSON.stringify([{ targets: [b.address], labels: { role: 'standby' } }]));
    const config = (extra = '') =>
      `global:\n  external_labels:\n    cluster: eu1\nalerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['${a.address}']\n      path_prefix: /am\n    - file_sd_configs:\n        - files: ['${join(dir, 'ams.json')}']\n      relabel_configs:\n        - source_labels: [role]\n          regex: standby\n          action: drop\n${extra}`;
    const server = await startServer(dir, config(), ['--web.external-url=http://prom.example:9090/prom/', '--web.enable-lifecycle']);
    cleanup.push(() => server.stop());
    const base = `http://127.0.0.1:${server.port}`;
    await vi.waitFor(async () =>
      expect((await api(base, '/prom/api/v1/alertmanagers')).data).toEqual({
        activeAlertmanagers: [{ url: `http://${a.address}/am/api/v2/alerts` }],
        droppedAlertmanagers: [{ url: `http://${b.address}/api/v2/alerts` }],
      }),
    );

    server.alerting.notifyFunc(server.options.externalUrl)('up == 0', [ruleAlert('TargetDown')]);
    await server.alerting.notifier.idle();
    expect(a.posted).toHaveLength(1);
    expect(a.posted[0]!.path).toBe('/am/api/v2/alerts');
    expect(a.posted[0]!.alerts[0]).toMatchObject({ labels: { alertname: 'TargetDown', cluster: 'eu1', severity: 'page' }, generatorURL: 'http://prom.example:9090/prom/graph?g0.expr=up+%3D%3D+0&g0.tab=1' });
    const metrics = await (await fetch(`${base}/prom/metrics`)).text();
    expect(metrics).toMatch(/^prometheus_notifications_alertmanagers_discovered 1$/m);
    expect(metrics).toContain(`prometheus_notifications_sent_total{alertmanager="http://${a.address}/am/api/v2/alerts"} 1`);
    expect(metrics).toMatch(/^prometheus_notifications_queue_capacity 10000$/m);

    // A reload that drops the relabeling makes the file-discovered Alertmanager active.
    writeFileSync(join(dir, 'prometheus.yml'), config().replace(/ {6}relabel_configs:[\s\S]*$/, ''));
    expect((await fetch(`${base}/prom/-/reload`, { method: 'POST' })).status).toBe(200);
    await vi.waitFor(async () => expect((await api<{ data: { activeAlertmanagers: unknown[] } }>(base, '/prom/api/v1/alertmanagers')).data.activeAlertmanagers).toHaveLength(2));

    // A configuration the notifier cannot use is refused and the running one stays.
    writeFileSync(join(dir, 'prometheus.yml'), config().replace('path_prefix: /am', "path_prefix: /am\n      tls_config:\n        ca_file: /nonexistent/ca.pem"));
    const bad = await fetch(`${base}/prom/-/reload`, { method: 'POST' });
    expect(bad.status).toBe(500);
    expect(await bad.text()).toContain('/nonexistent/ca.pem');
    expect((await api<{ data: { activeAlertmanagers: unknown[] } }>(base, '/prom/api/v1/alertmanagers')).data.activeAlertmanagers).toHaveLength(2);
  });

  it('discovers Alertmanagers through http_sd_configs', async () => {
    const am = await alertmanager();
    const server = await startServer(tempDir(), `alerting:\n  alertmanagers:\n    - http_sd_configs:\n        - url: http://${am.address}/sd\n      relabel_configs:\n        - source_labels: [via]\n          target_label: __alerts_path__\n          replacement: /\${1}/api/v2/alerts\n`);
    cleanup.push(() => server.stop());
    await vi.waitFor(() => expect(server.alerting.notifier.alertmanagers()).toEqual([`http://${am.address}/http_sd/api/v2/alerts`]));
    server.alerting.notifyFunc(server.options.externalUrl)('up == 0', [ruleAlert('ViaHttpSd')]);
    await server.alerting.notifier.idle();
    expect(am.posted.map((p) => [p.path, p.alerts[0]!.labels['alertname']])).toEqual([['/http_sd/api/v2/alerts', 'ViaHttpSd']]);
  });

  it('drains queued notifications when it stops', async () => {
    const am = await alertmanager();
    const dir = tempDir();
    const server = await startServer(dir, `alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['${am.address}']\n`, ['--alertmanager.notification-batch-size=1']);
    am.hold(true);
    const notify = server.alerting.notifyFunc(server.options.externalUrl);
    notify('up == 0', [ruleAlert('A'), ruleAlert('B')]);
    await vi.waitFor(() => expect(am.posted).toHaveLength(1));
    const stopped = server.stop();
    am.hold(false);
    await stopped;
    expect(am.posted.map((p) => p.alerts[0]!.labels['alertname'])).toEqual(['A', 'B']);
  });
});

describe('alerting flags', () => {
  const options = (...args: string[]) => serverOptions(parseFlags(SERVER_FLAGS, ['--web.listen-address=127.0.0.1:9090', ...args]));

  it('takes upstream\'s defaults and names a bad value', () => {
    expect(options().notifier).toEqual({ queueCapacity: 10_000, batchSize: 256, drainOnShutdown: true });
    expect(options('--alertmanager.notification-queue-capacity=5', '--alertmanager.notification-batch-size=2', '--no-alertmanager.drain-notification-queue-on-shutdown').notifier).toEqual({ queueCapacity: 5, batchSize: 2, drainOnShutdown: false });
    expect(() => options('--alertmanager.notification-batch-size=0')).toThrow('--alertmanager.notification-batch-size must be greater than 0, got 0');
  });

  it('derives --web.external-url as upstream: host name and port when unset, trailing slashes trimmed', async () => {
    const { hostname } = await import('node:os');
    expect(options().externalUrl).toBe(`http://${hostname()}:9090`);
    expect(options('--web.external-url=https://example.org/prometheus//').externalUrl).toBe('https://example.org/prometheus');
    expect(() => options('--web.external-url="http://x/"')).toThrow('URL must not begin or end with quotes');
  });
});
