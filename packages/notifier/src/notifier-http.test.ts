import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '@pyrometer/model';
import { MetricsRegistry } from '@pyrometer/telemetry';
import { tempDir } from '@pyrometer/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from './alert.js';
import type { AlertmanagerSetConfig } from './alertmanager-set.js';
import { NotifierError } from './errors.js';
import { Receiver, rule, setConfig } from './internal/test-receiver.js';
import { alertmanagerSetName, Notifier, type NotifierOptions } from './notifier.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function receiver(tls?: { cert: string; key: string }): Promise<Receiver> {
  const r = await Receiver.start(tls);
  cleanup.push(() => r.close());
  return r;
}

interface Setup {
  notifier: Notifier;
  registry: MetricsRegistry;
}

/** A notifier whose `index`-th set sends to `targets[index]`. */
async function notifierFor(sets: { config?: Partial<AlertmanagerSetConfig>; targets: string[] }[], options: Partial<NotifierOptions> = {}, externalLabels: Record<string, string> = {}): Promise<Setup> {
  const registry = new MetricsRegistry();
  const notifier = new Notifier({ registry, ...options });
  cleanup.push(() => notifier.stop());
  await notifier.applyConfig({ global: { externalLabels }, alerting: { alertRelabelConfigs: [], alertmanagers: sets.map((s) => setConfig(s.config)) } });
  sets.forEach((s, i) => notifier.setTargetGroups(alertmanagerSetName(i), [{ targets: s.targets.map((t) => ({ __address__: t })), labels: {}, source: '0' }]));
  return { notifier, registry };
}

function alert(name: string, extra: Record<string, string> = {}): Alert {
  return { labels: Labels.from({ alertname: name, ...extra }), annotations: Labels.EMPTY, startsAt: Date.UTC(2026, 0, 1), endsAt: Date.UTC(2026, 0, 1, 0, 4), generatorURL: '' };
}

function metric(registry: MetricsRegistry, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = registry.collect().find((f) => f.name === name);
  const m = family?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels.get(k) === v));
  return m?.value ?? m?.summary?.sampleCount;
}

describe('delivery', () => {
  it('posts upstream\'s payload and headers to <scheme>://<address><path_prefix>/api/v2/alerts', async () => {
    const am = await receiver();
    const { notifier } = await notifierFor([{ config: { pathPrefix: 'am/' }, targets: [am.address] }], { userAgent: 'Prometheus/3.9.1' });
    notifier.send([{ labels: Labels.from({ alertname: 'Down', job: 'a<b' }), annotations: Labels.from({ summary: 'x & y' }), startsAt: Date.UTC(2026, 0, 1, 12), endsAt: Date.UTC(2026, 0, 1, 12, 4, 0, 5), generatorURL: 'http://p:9090/graph?g0.expr=up&g0.tab=1' }]);
    await notifier.idle();
    const [req] = am.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/am/api/v2/alerts' });
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['user-agent']).toBe('Prometheus/3.9.1');
    expect(req!.body).toBe(
      '[{"annotations":{"summary":"x \\u0026 y"},"endsAt":"2026-01-01T12:04:00.005Z","startsAt":"2026-01-01T12:00:00.000Z","generatorURL":"http://p:9090/graph?g0.expr=up\\u0026g0.tab=1","labels":{"alertname":"Down","job":"a\\u003cb"}}]',
    );
    expect(notifier.alertmanagers()).toEqual([`http://${am.address}/am/api/v2/alerts`]);
  });

  it('leaves out empty annotations and generatorURL, and writes an unset time as Go\'s zero time', async () => {
    const am = await receiver();
    const { notifier } = await notifierFor([{ targets: [am.address] }]);
    notifier.send([{ ...alert('A'), endsAt: 0 }]);
    await notifier.idle();
    expect(am.requests[0]!.body).toBe('[{"endsAt":"0001-01-01T00:00:00.000Z","startsAt":"2026-01-01T00:00:00.000Z","labels":{"alertname":"A"}}]');
  });

  it('sends the queue in batches of --alertmanager.notification-batch-size', async () => {
    const am = await receiver();
    const { notifier, registry } = await notifierFor([{ targets: [am.address] }], { batchSize: 2 });
    notifier.send(['a', 'b', 'c', 'd', 'e'].map((n) => alert(n)));
    await notifier.idle();
    expect(am.batchSizes()).toEqual([2, 2, 1]);
    expect(am.alertNames()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(metric(registry, 'prometheus_notifications_sent_total', { alertmanager: am.url })).toBe(5);
    expect(metric(registry, 'prometheus_notifications_latency_seconds', { alertmanager: am.url })).toBe(3);
    expect(registry.collect().find((f) => f.name === 'prometheus_notifications_latency_histogram_seconds')!.metrics[0]!.histogram!.sampleCount).toBe(3);
  });

  it('drops the oldest alerts when the queue is full, and counts them', async () => {
    const am = await receiver();
    am.hold = true;
    const { notifier, registry } = await notifierFor([{ targets: [am.address] }], { queueCapacity: 3 });
    notifier.send([alert('inflight')]);
    await vi.waitFor(() => expect(am.requests).toHaveLength(1));
    notifier.send(['q1', 'q2'].map((n) => alert(n)));
    notifier.send(['q3', 'q4', 'q5'].map((n) => alert(n)));
    expect(metric(registry, 'prometheus_notifications_queue_length')).toBe(3);
    expect(metric(registry, 'prometheus_notifications_queue_capacity')).toBe(3);
    expect(metric(registry, 'prometheus_notifications_dropped_total')).toBe(2);
    notifier.send(['b1', 'b2', 'b3', 'b4'].map((n) => alert(n)));
    expect(metric(registry, 'prometheus_notifications_dropped_total')).toBe(6);
    am.release();
    await notifier.idle();
    expect(am.alertNames()).toEqual(['inflight', 'b2', 'b3', 'b4']);
  });

  it('sends every batch to every Alertmanager; one that fails counts errors, and only a set nobody received counts as dropped', async () => {
    const [good, bad, other] = [await receiver(), await receiver(), await receiver()];
    bad.status = 500;
    const { notifier, registry } = await notifierFor([{ targets: [good.address, bad.address] }, { targets: [other.address] }]);
    notifier.send([alert('A'), alert('B')]);
    await notifier.idle();
    expect([good.alertNames(), bad.alertNames(), other.alertNames()]).toEqual([['A', 'B'], ['A', 'B'], ['A', 'B']]);
    expect(metric(registry, 'prometheus_notifications_errors_total', { alertmanager: bad.url })).toBe(2);
    expect(metric(registry, 'prometheus_notifications_errors_total', { alertmanager: good.url })).toBe(0);
    expect(metric(registry, 'prometheus_notifications_sent_total', { alertmanager: bad.url })).toBe(2);
    expect(metric(registry, 'prometheus_notifications_dropped_total')).toBe(0);
    expect(metric(registry, 'prometheus_notifications_alertmanagers_discovered')).toBe(3);

    other.status = 503;
    notifier.send([alert('C')]);
    await notifier.idle();
    expect(metric(registry, 'prometheus_notifications_dropped_total')).toBe(1);

    // No retry of its own: the next send (the rule manager's resend) reaches the recovered Alertmanager.
    other.status = 200;
    bad.status = 200;
    notifier.send([alert('C')]);
    await notifier.idle();
    expect(other.alertNames()).toEqual(['A', 'B', 'C', 'C']);
    expect(bad.alertNames()).toEqual(['A', 'B', 'C', 'C']);
    expect(metric(registry, 'prometheus_notifications_dropped_total')).toBe(1);
  });

  it('fails a request after the set\'s timeout', async () => {
    const am = await receiver();
    am.hold = true;
    const { notifier, registry } = await notifierFor([{ config: { timeout: 100 }, targets: [am.address] }]);
    notifier.send([alert('A')]);
    await notifier.idle();
    expect(metric(registry, 'prometheus_notifications_errors_total', { alertmanager: am.url })).toBe(1);
    expect(metric(registry, 'prometheus_notifications_dropped_total')).toBe(1);
  });

  it('counts an unreachable Alertmanager as an error and keeps running', async () => {
    const closed = await receiver();
    const address = closed.address;
    await closed.close();
    const { notifier, registry } = await notifierFor([{ targets: [address] }]);
    notifier.send([alert('A')]);
    await notifier.idle();
    expect(metric(registry, 'prometheus_notifications_errors_total', { alertmanager: `http://${address}/api/v2/alerts` })).toBe(1);
  });
});

describe('labels', () => {
  it('adds external labels an alert lacks, then applies alerting.alert_relabel_configs, then each set\'s own', async () => {
    const [a, b] = [await receiver(), await receiver()];
    const { notifier } = await notifierFor(
      [{ targets: [a.address] }, { config: { alertRelabelConfigs: [rule({ sourceLabels: ['severity'], regex: 'page', action: 'keep' })] }, targets: [b.address] }],
      {},
      { cluster: 'eu1', job: 'external' },
    );
    await notifier.applyConfig({
      global: { externalLabels: { cluster: 'eu1', job: 'external' } },
      alerting: {
        alertRelabelConfigs: [rule({ sourceLabels: ['alertname'], regex: 'Ignored', action: 'drop' }), rule({ targetLabel: 'relabeled', replacement: 'yes' })],
        alertmanagers: [setConfig(), setConfig({ alertRelabelConfigs: [rule({ sourceLabels: ['severity'], regex: 'page', action: 'keep' })] })],
      },
    });
    notifier.send([alert('Page', { severity: 'page', job: 'api' }), alert('Ticket', { severity: 'ticket' }), alert('Ignored')]);
    await notifier.idle();
    expect(a.requests[0]!.alerts.map((x) => x.labels)).toEqual([
      { alertname: 'Page', cluster: 'eu1', job: 'api', relabeled: 'yes', severity: 'page' },
      { alertname: 'Ticket', cluster: 'eu1', job: 'external', relabeled: 'yes', severity: 'ticket' },
    ]);
    expect(b.alertNames()).toEqual(['Page']);
  });

  it('applies relabel_configs to discovered Alertmanagers: __scheme__, __alerts_path__, keep/drop, and lists dropped ones', async () => {
    const [a, b] = [await receiver(), await receiver()];
    const registry = new MetricsRegistry();
    const notifier = new Notifier({ registry });
    cleanup.push(() => notifier.stop());
    await notifier.applyConfig({
      global: { externalLabels: {} },
      alerting: {
        alertRelabelConfigs: [],
        alertmanagers: [
          setConfig({
            relabelConfigs: [
              rule({ sourceLabels: ['role'], regex: 'standby', action: 'drop' }),
              rule({ sourceLabels: ['__alerts_path__'], targetLabel: '__alerts_path__', regex: '(.*)', replacement: '/custom$1' }),
            ],
          }),
        ],
      },
    });
    notifier.setTargetGroups('config-0', [
      { targets: [{ __address__: a.address }, { __address__: b.address, role: 'standby' }], labels: { role: 'primary' }, source: 'g0' },
      { targets: [{ __address__: a.address }], labels: {}, source: 'g1' },
    ]);
    expect(notifier.alertmanagers()).toEqual([`http://${a.address}/custom/api/v2/alerts`]);
    expect(notifier.droppedAlertmanagers()).toEqual([`http://${b.address}/api/v2/alerts`]);
    notifier.send([alert('A')]);
    await notifier.idle();
    expect(a.requests.map((r) => r.path)).toEqual(['/custom/api/v2/alerts']);
    expect(b.requests).toEqual([]);

    notifier.setTargetGroups('config-0', [{ targets: [{ __address__: 'bad/host' }], labels: {}, source: 'g2' }]);
    expect(notifier.alertmanagers()).toEqual([]);
    expect(registry.collect().find((f) => f.name === 'prometheus_notifications_sent_total')!.metrics).toEqual([]);
  });
});

describe('http_config', () => {
  it('sends basic auth credentials, password_file read on each request', async () => {
    const am = await receiver();
    const dir = tempDir();
    writeFileSync(join(dir, 'pw'), 'secret\n');
    const httpClient = { ...setConfig().httpClient, basicAuth: { username: 'prom', usernameFile: '', password: '', passwordFile: join(dir, 'pw') } };
    const { notifier } = await notifierFor([{ config: { httpClient }, targets: [am.address] }]);
    notifier.send([alert('A')]);
    await notifier.idle();
    writeFileSync(join(dir, 'pw'), 'rotated');
    notifier.send([alert('B')]);
    await notifier.idle();
    expect(am.requests.map((r) => r.headers['authorization'])).toEqual(['Basic ' + Buffer.from('prom:secret').toString('base64'), 'Basic ' + Buffer.from('prom:rotated').toString('base64')]);
  });

  it('speaks TLS: trusts ca_file, refuses an unknown CA', async () => {
    const dir = tempDir();
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const am = await receiver({ cert, key });
    const tls = { ...setConfig().httpClient.tls, caFile: cert };
    const { notifier, registry } = await notifierFor([
      { config: { scheme: 'https', httpClient: { ...setConfig().httpClient, tls } }, targets: [am.address] },
      { config: { scheme: 'https' }, targets: [am.address] },
    ]);
    notifier.send([alert('A')]);
    await notifier.idle();
    expect(am.alertNames()).toEqual(['A']);
    expect(metric(registry, 'prometheus_notifications_errors_total', { alertmanager: `https://${am.address}/api/v2/alerts` })).toBe(1);
  });
});

describe('configuration', () => {
  it.each([
    { name: 'a bad alert_relabel_configs regex', alerting: { alertRelabelConfigs: [rule({ regex: '(' })], alertmanagers: [setConfig()] }, message: /alert_relabel_configs\[0\]/ },
    { name: 'a bad set relabel rule', alerting: { alertRelabelConfigs: [], alertmanagers: [setConfig({ relabelConfigs: [rule({ action: 'hashmod' })] })] }, message: /alertmanagers\[0\]: relabel_configs\[0\]/ },
    { name: 'API v1', alerting: { alertRelabelConfigs: [], alertmanagers: [setConfig({ apiVersion: 'v1' })] }, message: /expected Alertmanager api version to be one of \[v2\] but got v1/ },
    { name: 'a missing CA file', alerting: { alertRelabelConfigs: [], alertmanagers: [setConfig({ httpClient: { ...setConfig().httpClient, tls: { ...setConfig().httpClient.tls, caFile: '/nonexistent/ca.pem' } } })] }, message: /\/nonexistent\/ca\.pem/ },
  ])('rejects $name and keeps the previous configuration', async ({ alerting, message }) => {
    const am = await receiver();
    const { notifier } = await notifierFor([{ targets: [am.address] }]);
    const err = await notifier.applyConfig({ global: { externalLabels: {} }, alerting }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifierError);
    expect((err as NotifierError).code).toBe('invalid_config');
    expect((err as Error).message).toMatch(message);
    notifier.send([alert('A')]);
    await notifier.idle();
    expect(am.alertNames()).toEqual(['A']);
  });

  it('keeps the Alertmanagers of an unchanged set across a reload, and forgets removed sets', async () => {
    const am = await receiver();
    const { notifier } = await notifierFor([{ targets: [am.address] }]);
    await notifier.applyConfig({ global: { externalLabels: { x: 'y' } }, alerting: { alertRelabelConfigs: [], alertmanagers: [setConfig()] } });
    expect(notifier.alertmanagers()).toEqual([am.url]);
    await notifier.applyConfig({ global: { externalLabels: {} }, alerting: { alertRelabelConfigs: [], alertmanagers: [setConfig({ timeout: 5_000 })] } });
    expect(notifier.alertmanagers()).toEqual([]);
  });
});

describe('shutdown', () => {
  it('drains the queue on stop by default, then ignores new alerts', async () => {
    const am = await receiver();
    am.hold = true;
    const { notifier } = await notifierFor([{ targets: [am.address] }], { batchSize: 1 });
    notifier.send(['a', 'b', 'c'].map((n) => alert(n)));
    await vi.waitFor(() => expect(am.requests).toHaveLength(1));
    const stopped = notifier.stop();
    notifier.send([alert('late')]);
    am.release();
    await vi.waitFor(() => expect(am.requests).toHaveLength(3));
    am.release();
    await stopped;
    expect(am.alertNames()).toEqual(['a', 'b', 'c']);
  });

  it('drops and counts the queue on stop when draining is off', async () => {
    const am = await receiver();
    am.hold = true;
    const { notifier, registry } = await notifierFor([{ targets: [am.address] }], { batchSize: 1, drainOnShutdown: false });
    notifier.send(['a', 'b', 'c'].map((n) => alert(n)));
    await vi.waitFor(() => expect(am.requests).toHaveLength(1));
    const stopped = notifier.stop();
    am.release();
    await stopped;
    expect(am.alertNames()).toEqual(['a']);
    expect(metric(registry, 'prometheus_notifications_dropped_total')).toBe(2);
  });
});
