import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpRecorder, tempDir } from '@pyrometer/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertmanagerError } from '../errors.js';
import { alertAt } from '../testing/harness.js';
import { notifierFromConfig } from '../testing/notifier-harness.js';
import { opsgenieIntegration } from './opsgenie.js';
import { groupKeyHash } from './payload.js';

let og: HttpRecorder;
beforeEach(async () => {
  og = await HttpRecorder.start({ otherwise: { status: 202, body: '{"result":"Request will be processed","took":0.1,"requestId":"r"}', contentType: 'application/json' } });
});
afterEach(() => og.close());

const config = (fields = '') => `
global: {opsgenie_api_url: '${og.url}/opsgenie', opsgenie_api_key: K3Y}
route: {receiver: ops}
receivers:
- name: ops
  opsgenie_configs:
  - send_resolved: true
${fields}`;

const ALIAS = groupKeyHash('{}:{alertname="FlinkJobDown"}');
const rejection = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err as AlertmanagerError);

describe('opsgenie integration', () => {
  it('creates an alert from the default templates (GenieKey auth) and closes it by alias once resolved', async () => {
    const n = await notifierFromConfig('opsgenie', opsgenieIntegration, config());
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' }, { annotations: { summary: 'orders is down' } })]);
    const [create] = await og.waitFor(1);
    expect([create!.method, create!.url, create!.headers['authorization'], create!.headers['content-type'], create!.headers['user-agent']]).toEqual(['POST', '/opsgenie/v2/alerts', 'GenieKey K3Y', 'application/json', 'Alertmanager/0.28.1']);
    expect(create!.body).toBe(
      `{"alias":"${ALIAS}","message":"[FIRING:1] FlinkJobDown (orders)","description":"orders is down\\nAlerts Firing:\\nLabels:\\n - alertname = FlinkJobDown\\n - job_name = orders\\nAnnotations:\\n - summary = orders is down\\nSource: http://prometheus:9090/graph\\n\\n","details":{"alertname":"FlinkJobDown","job_name":"orders"},"source":"http://am.example:9093/#/alerts?receiver=ops"}\n`,
    );
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' }, { startsAt: n.clock.now() - 60_000, endsAt: n.clock.now() - 1_000 })]);
    const [, close] = await og.waitFor(2);
    expect([close!.method, close!.url, close!.body]).toEqual(['POST', `/opsgenie/v2/alerts/${ALIAS}/close?identifierType=alias`, '{"source":"http://am.example:9093/#/alerts?receiver=ops"}\n']);
  });

  it('renders responders (teams split), tags, actions, note, priority, entity and details; updates message and description with update_alerts; key from a file', async () => {
    const file = join(tempDir(), 'key');
    writeFileSync(file, 'FILEK3Y\n');
    const n = await notifierFromConfig(
      'opsgenie',
      opsgenieIntegration,
      config(`    api_key_file: ${file}
    responders: [{name: 'flink,platform', type: teams}, {username: '{{ .CommonLabels.owner }}', type: user}, {id: '{{ .CommonLabels.nobody }}', type: '{{ .CommonLabels.nobody }}'}]
    tags: ' flink, {{ .CommonLabels.job_name }} ,'
    actions: restart
    note: see runbook
    priority: '{{ if eq .CommonLabels.severity "critical" }}P1{{ else }}P3{{ end }}'
    entity: '{{ .CommonLabels.job_name }}'
    details: {team: flink}
    update_alerts: true`).replace('opsgenie_api_key: K3Y', ''),
    );
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders', owner: 'ana', severity: 'critical' })]);
    const [create, message, description] = await og.waitFor(3);
    expect(create!.headers['authorization']).toBe('GenieKey FILEK3Y');
    expect(JSON.parse(create!.body)).toMatchObject({
      responders: [{ name: 'flink', type: 'team' }, { name: 'platform', type: 'team' }, { username: 'ana', type: 'user' }],
      tags: ['flink', ' orders '],
      actions: ['restart'],
      note: 'see runbook',
      priority: 'P1',
      entity: 'orders',
      details: { alertname: 'FlinkJobDown', job_name: 'orders', owner: 'ana', severity: 'critical', team: 'flink' },
    });
    expect([message!.method, message!.url, message!.body]).toEqual(['PUT', `/opsgenie/v2/alerts/${ALIAS}/message?identifierType=alias`, '{"message":"[FIRING:1] FlinkJobDown (orders ana critical)"}\n']);
    expect([description!.method, description!.url]).toEqual(['PUT', `/opsgenie/v2/alerts/${ALIAS}/description?identifierType=alias`]);
  });

  it('truncates the message to 130 runes, logging it', async () => {
    const n = await notifierFromConfig('opsgenie', opsgenieIntegration, config(`    message: '${'m'.repeat(200)}'`));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]);
    expect((JSON.parse((await og.waitFor(1))[0]!.body) as { message: string }).message).toBe(`${'m'.repeat(129)}…`);
    expect(n.logs).toContainEqual({ level: 'warn', msg: 'Truncated message', fields: { alert: '{}:{alertname="FlinkJobDown"}', max_runes: 130 } });
  });

  it.each([
    { status: 429, retryable: true, reason: 'clientError' },
    { status: 500, retryable: true, reason: 'serverError' },
    { status: 422, retryable: false, reason: 'clientError' },
  ])('answer $status: retryable $retryable', async ({ status, retryable, reason }) => {
    og.answer({ status, body: '{"message":"x"}' });
    const n = await notifierFromConfig('opsgenie', opsgenieIntegration, config());
    const err = await rejection(n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]));
    expect([err!.message, err!.retryable, err!.reason]).toEqual([`unexpected status code ${status}: {"message":"x"}`, retryable, reason]);
  });
});
