import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpRecorder, tempDir } from '@pyrometer/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertmanagerError } from '../errors.js';
import { alertAt } from '../testing/harness.js';
import { notifierFromConfig } from '../testing/notifier-harness.js';
import { groupKeyHash } from './payload.js';
import { victoropsIntegration } from './victorops.js';

let vo: HttpRecorder;
beforeEach(async () => {
  vo = await HttpRecorder.start({ otherwise: { status: 200, body: '{"result":"success","entity_id":"e"}', contentType: 'application/json' } });
});
afterEach(() => vo.close());

const config = (fields = '') => `
global: {victorops_api_url: '${vo.url}/integrations/generic/20131114/alert', victorops_api_key: K3Y}
route: {receiver: oncall}
receivers:
- name: oncall
  victorops_configs:
  - routing_key: '{{ .CommonLabels.team }}'
${fields}`;

const ENTITY = groupKeyHash('{}:{alertname="FlinkJobDown"}');
const rejection = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err as AlertmanagerError);

describe('victorops integration', () => {
  it('POSTs the event to <api_url><api_key>/<routing_key> from the default templates; RECOVERY once resolved', async () => {
    const n = await notifierFromConfig('victorops', victoropsIntegration, config());
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', team: 'flink' }, { annotations: { summary: 'orders is down' } })]);
    const [req] = await vo.waitFor(1);
    expect([req!.method, req!.url, req!.headers['content-type'], req!.headers['user-agent']]).toEqual(['POST', '/integrations/generic/20131114/alert/K3Y/flink', 'application/json', 'Alertmanager/0.28.1']);
    expect(JSON.parse(req!.body)).toEqual({
      entity_display_name: '[FIRING:1] FlinkJobDown (flink)',
      entity_id: ENTITY,
      message_type: 'CRITICAL',
      monitoring_tool: 'Alertmanager',
      state_message: expect.stringContaining('Alerts Firing:') as unknown,
    });
    expect(req!.body.startsWith('{"entity_display_name":"[FIRING:1] FlinkJobDown (flink)","entity_id":"')).toBe(true);
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', team: 'flink' }, { startsAt: n.clock.now() - 60_000, endsAt: n.clock.now() - 1_000 })]);
    expect(JSON.parse((await vo.waitFor(2))[1]!.body)).toMatchObject({ message_type: 'RECOVERY', entity_id: ENTITY });
  });

  it('keeps INFO/WARNING/CRITICAL while firing, else CRITICAL; renders custom fields; key from a file, trimmed', async () => {
    const file = join(tempDir(), 'key');
    writeFileSync(file, 'FILEK3Y\n');
    const yaml = (type: string) => config(`    api_key_file: '${file}'\n    message_type: '${type}'\n    custom_fields: {runbook: 'http://wiki/{{ .CommonLabels.alertname }}'}`).replace(', victorops_api_key: K3Y', '');
    for (const type of ['WARNING', 'PAGE']) {
      const n = await notifierFromConfig('victorops', victoropsIntegration, yaml(type));
      await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', team: 'flink' })]);
    }
    const [warning, page] = await vo.waitFor(2);
    expect(warning!.url).toBe('/integrations/generic/20131114/alert/FILEK3Y/flink');
    expect([JSON.parse(warning!.body), JSON.parse(page!.body)]).toMatchObject([{ message_type: 'WARNING', runbook: 'http://wiki/FlinkJobDown' }, { message_type: 'CRITICAL' }]);
  });

  it('truncates the state message to 20480 runes, logging it', async () => {
    const n = await notifierFromConfig('victorops', victoropsIntegration, config(`    state_message: '${'s'.repeat(21000)}'`));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', team: 'flink' })]);
    expect([...(JSON.parse((await vo.waitFor(1))[0]!.body) as { state_message: string }).state_message].length).toBe(20480);
    expect(n.logs).toContainEqual({ level: 'warn', msg: 'Truncated state_message', fields: { incident: '{}:{alertname="FlinkJobDown"}', max_runes: 20480 } });
  });

  it.each([
    { status: 503, retryable: true, reason: 'serverError' },
    { status: 429, retryable: false, reason: 'clientError' },
    { status: 404, retryable: false, reason: 'clientError' },
  ])('answer $status: retryable $retryable', async ({ status, retryable, reason }) => {
    vo.answer({ status, body: '{"result":"failure"}' });
    const n = await notifierFromConfig('victorops', victoropsIntegration, config());
    const err = await rejection(n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', team: 'flink' })]));
    expect([err!.message, err!.retryable, err!.reason]).toEqual([`unexpected status code ${status}: {"result":"failure"}`, retryable, reason]);
  });

  it('a template failing in the routing key is not retried, one in the event is (as upstream)', async () => {
    const routing = await notifierFromConfig('victorops', victoropsIntegration, config().replace("'{{ .CommonLabels.team }}'", "'{{ template \"nope\" . }}'"));
    const inEvent = await notifierFromConfig('victorops', victoropsIntegration, config(`    entity_display_name: '{{ template "nope" . }}'`));
    const errors = await Promise.all([routing, inEvent].map((n) => rejection(n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', team: 'flink' })]))));
    expect(errors.map((e) => [e!.message.startsWith('templating error: '), e!.retryable])).toEqual([[true, false], [true, true]]);
    expect(vo.requests).toHaveLength(0);
  });
});
