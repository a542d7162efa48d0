import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpRecorder, tempDir } from '@pyrometer/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertmanagerError } from '../errors.js';
import { alertAt } from '../testing/harness.js';
import { notifierFromConfig } from '../testing/notifier-harness.js';
import { groupKeyHash } from './payload.js';
import { pagerdutyIntegration, pagerdutyIntegrationWith } from './pagerduty.js';

let pd: HttpRecorder;
beforeEach(async () => {
  pd = await HttpRecorder.start({ otherwise: { status: 202, body: '{"status":"success","message":"Event processed","dedup_key":"x"}', contentType: 'application/json' } });
});
afterEach(() => pd.close());

const config = (fields = '') => `
global: {pagerduty_url: '${pd.url}/v2/enqueue'}
route: {receiver: pager}
receivers:
- name: pager
  pagerduty_configs:
  - routing_key: R0UT1NG
${fields}`;

const GROUP = '{}:{alertname="FlinkJobDown"}';
const rejection = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err as AlertmanagerError);

describe('pagerduty integration (Events API v2)', () => {
  it('triggers with the default templates and resolves with the same dedup key', async () => {
    const n = await notifierFromConfig('pagerduty', pagerdutyIntegration, config());
    const firing = alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' }, { annotations: { summary: 'orders is down' } });
    await n.notify([firing]);
    const [trigger] = await pd.waitFor(1);
    expect([trigger!.method, trigger!.url, trigger!.headers['content-type'], trigger!.headers['user-agent']]).toEqual(['POST', '/v2/enqueue', 'application/json', 'Alertmanager/0.28.1']);
    const instances = 'Labels:\n - alertname = FlinkJobDown\n - job_name = orders\nAnnotations:\n - summary = orders is down\nSource: http://prometheus:9090/graph\n';
    expect(JSON.parse(trigger!.body)).toEqual({
      routing_key: 'R0UT1NG',
      dedup_key: groupKeyHash(GROUP),
      event_action: 'trigger',
      payload: { summary: '[FIRING:1] FlinkJobDown (orders)', source: 'Alertmanager', severity: 'error', custom_details: { firing: instances, num_firing: '1', num_resolved: '0', resolved: '' } },
      client: 'Alertmanager',
      client_url: 'http://am.example:9093/#/alerts?receiver=pager',
    });
    expect(Object.keys(JSON.parse(trigger!.body) as object)).toEqual(['routing_key', 'dedup_key', 'event_action', 'payload', 'client', 'client_url']);
    expect(groupKeyHash(GROUP)).toMatch(/^[0-9a-f]{64}$/);

    await n.clock.advance(60_000);
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' }, { startsAt: n.clock.now() - 60_000, endsAt: n.clock.now() - 1_000 })]);
    const resolve = JSON.parse((await pd.waitFor(2))[1]!.body) as { event_action: string; dedup_key: string; payload: { summary: string } };
    expect([resolve.event_action, resolve.dedup_key, resolve.payload.summary]).toEqual(['resolve', groupKeyHash(GROUP), '[RESOLVED] FlinkJobDown (orders)']);
  });

  it('renders severity, class, component, group, images, links and details from templates; the key from routing_key_file', async () => {
    const file = join(tempDir(), 'key');
    writeFileSync(file, ' R0UT1NG-FROM-FILE \n');
    const n = await notifierFromConfig(
      'pagerduty',
      pagerdutyIntegration,
      config(`    severity: '{{ .CommonLabels.severity }}'
    class: flink
    component: '{{ .CommonLabels.job_name }}'
    group: prod
    details: {job: '{{ .CommonLabels.job_name }}'}
    images: [{src: 'http://img/{{ .CommonLabels.job_name }}.png', alt: chart}, {src: ''}]
    links: [{href: 'http://runbook/{{ .CommonLabels.alertname }}', text: runbook}]`).replace('routing_key: R0UT1NG', `routing_key_file: ${file}`),
    );
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders', severity: 'critical' })]);
    const body = JSON.parse((await pd.waitFor(1))[0]!.body) as { routing_key: string; payload: Record<string, unknown>; images: unknown; links: unknown };
    expect(body.routing_key).toBe('R0UT1NG-FROM-FILE');
    expect(body.payload).toMatchObject({ severity: 'critical', class: 'flink', component: 'orders', group: 'prod', custom_details: { job: 'orders', num_firing: '1' } });
    expect(body.images).toEqual([{ src: 'http://img/orders.png', alt: 'chart', href: '' }]);
    expect(body.links).toEqual([{ href: 'http://runbook/FlinkJobDown', text: 'runbook' }]);
  });

  it('uses a default template name that the templates file redefines', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pd.tmpl'), '{{ define "pagerduty.default.description" }}Flink {{ .CommonLabels.job_name }}: {{ .CommonAnnotations.summary }}{{ end }}');
    const n = await notifierFromConfig('pagerduty', pagerdutyIntegration, `templates: ['${dir}/*.tmpl']\n${config()}`);
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' }, { annotations: { summary: 'no running job' } })]);
    expect((JSON.parse((await pd.waitFor(1))[0]!.body) as { payload: { summary: string } }).payload.summary).toBe('Flink orders: no running job');
  });

  it.each([
    { name: '429 is retried (rate limiting)', status: 429, body: '', message: 'unexpected status code 429', retryable: true, reason: 'clientError' },
    { name: '5xx is retried', status: 502, body: 'bad gateway', message: 'unexpected status code 502', retryable: true, reason: 'serverError' },
    { name: '400 is not, with PagerDuty\'s explanation', status: 400, body: '{"status":"invalid event","message":"Event object is invalid","errors":["Length of \'routing_key\' is incorrect"]}', message: "unexpected status code 400: Event object is invalid: Length of 'routing_key' is incorrect", retryable: false, reason: 'clientError' },
    { name: '403 is not', status: 403, body: 'nope', message: 'unexpected status code 403', retryable: false, reason: 'clientError' },
  ])('classifies answers: $name', async ({ status, body, message, retryable, reason }) => {
    pd.answer({ status, body });
    const n = await notifierFromConfig('pagerduty', pagerdutyIntegration, config());
    const err = await rejection(n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]));
    expect([err!.message, err!.retryable, err!.reason]).toEqual([message, retryable, reason]);
  });

  it('truncates the summary to 1024 runes and drops the details of an event over 512 KB, logging both', async () => {
    const n = await notifierFromConfig('pagerduty', pagerdutyIntegration, config(`    description: '${'x'.repeat(2000)}'\n    details: {big: '{{ range .Alerts }}${'y'.repeat(600_000)}{{ end }}'}`));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]);
    const [req] = await pd.waitFor(1);
    const body = JSON.parse(req!.body) as { payload: { summary: string; custom_details: unknown } };
    expect([...body.payload.summary]).toHaveLength(1024);
    expect(body.payload.custom_details).toEqual({ error: 'Custom details have been removed because the original event exceeds the maximum size of 512KB' });
    expect(n.logs.map((l) => l.msg)).toEqual(['Truncated summary', expect.stringMatching(/^Truncated Details because message of size 60\d+KB\d*B? exceeds limit 512KB$/)]);
  });

  it('sends an Events API v1 event for a service_key (to the v1 endpoint, which upstream fixes)', async () => {
    const integration = pagerdutyIntegrationWith({ eventsV1Url: `${pd.url}/generic/2010-04-15/create_event.json` });
    const n = await notifierFromConfig('pagerduty', integration, config().replace('routing_key: R0UT1NG', 'service_key: S3RV1CE'));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]);
    const [req] = await pd.waitFor(1);
    expect(req!.url).toBe('/generic/2010-04-15/create_event.json');
    const body = JSON.parse(req!.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['service_key', 'incident_key', 'event_type', 'description', 'event_action', 'payload', 'client', 'client_url', 'details']);
    expect(body).toMatchObject({ service_key: 'S3RV1CE', incident_key: groupKeyHash(GROUP), event_type: 'trigger', description: '[FIRING:1] FlinkJobDown ', event_action: '', payload: null, client: 'Alertmanager' });
  });
});
