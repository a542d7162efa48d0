import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpRecorder, tempDir } from '@pyrometer/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertmanagerError } from '../errors.js';
import { alertAt } from '../testing/harness.js';
import { notifierFromConfig } from '../testing/notifier-harness.js';
import { slackIntegration } from './slack.js';

let slack: HttpRecorder;
beforeEach(async () => {
  slack = await HttpRecorder.start({ otherwise: { status: 200, body: 'ok' } });
});
afterEach(() => slack.close());

const config = (fields = '', global = '') => `
global: {slack_api_url: '${slack.url}/services/T0/B0/x'${global}}
route: {receiver: chat}
receivers:
- name: chat
  slack_configs:
  - channel: '#flink'
${fields}`;

const rejection = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err as AlertmanagerError);

describe('slack integration', () => {
  it('posts one attachment rendered from the default templates, as upstream', async () => {
    const n = await notifierFromConfig('slack', slackIntegration, config());
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' })]);
    const [req] = await slack.waitFor(1);
    expect([req!.method, req!.url, req!.headers['content-type'], req!.headers['user-agent']]).toEqual(['POST', '/services/T0/B0/x', 'application/json', 'Alertmanager/0.28.1']);
    const link = 'http://am.example:9093/#/alerts?receiver=chat';
    expect(req!.body).toBe(
      `{"channel":"#flink","username":"Alertmanager","attachments":[{"title":"[FIRING:1] FlinkJobDown (orders)","title_link":"${link}","text":"","fallback":"[FIRING:1] FlinkJobDown (orders) | ${link}","callback_id":"","footer":"","color":"danger","mrkdwn_in":["fallback","pretext","text"]}]}\n`,
    );
  });

  it('renders a custom template from the templates files, fields with short_fields and actions', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'flink.tmpl'), '{{ define "flink.slack" }}{{ range .Alerts }}*{{ .Labels.job_name }}* is down{{ end }}{{ end }}');
    const fields = `    text: '{{ template "flink.slack" . }}'
    short_fields: true
    fields: [{title: Job, value: '{{ .CommonLabels.job_name }}'}, {title: Runbook, value: x, short: false}]
    actions: [{type: button, text: Silence, url: 'http://am/silence', confirm: {text: sure?}}]
    link_names: true`;
    const n = await notifierFromConfig('slack', slackIntegration, `templates: ['${dir}/*.tmpl']\n${config(fields)}`);
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' })]);
    const body = JSON.parse((await slack.waitFor(1))[0]!.body) as { link_names: boolean; attachments: Record<string, unknown>[] };
    expect(body.link_names).toBe(true);
    expect(body.attachments[0]).toMatchObject({
      text: '*orders* is down',
      fields: [{ title: 'Job', value: 'orders', short: true }, { title: 'Runbook', value: 'x', short: false }],
      actions: [{ type: 'button', text: 'Silence', url: 'http://am/silence' }],
    });
  });

  it('reads the URL from api_url_file at send time', async () => {
    const file = join(tempDir(), 'slack-url');
    writeFileSync(file, `${slack.url}/from-file\n`);
    const n = await notifierFromConfig('slack', slackIntegration, config(`    api_url_file: ${file}`));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]);
    expect((await slack.waitFor(1))[0]!.url).toBe('/from-file');
  });

  it.each([
    { name: '5xx is retried', answer: { status: 503, body: 'busy' }, message: 'channel "#flink": unexpected status code 503: busy', retryable: true, reason: 'serverError' },
    { name: '429 is not (the default retrier)', answer: { status: 429, body: 'slow down' }, message: 'channel "#flink": unexpected status code 429: slow down', retryable: false, reason: 'clientError' },
    { name: 'a JSON answer without ok', answer: { status: 200, body: '{"ok":false,"error":"channel_not_found"}', contentType: 'application/json; charset=utf-8' }, message: 'channel "#flink": error response from Slack: channel_not_found', retryable: false, reason: 'clientError' },
    { name: 'a text answer other than ok', answer: { status: 200, body: 'invalid_token' }, message: 'channel "#flink": received an error response from Slack: invalid_token', retryable: false, reason: 'clientError' },
  ])('classifies failures: $name', async ({ answer, message, retryable, reason }) => {
    slack.answer(answer);
    const n = await notifierFromConfig('slack', slackIntegration, config());
    const err = await rejection(n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]));
    expect(err).toBeInstanceOf(AlertmanagerError);
    expect([err!.message, err!.retryable, err!.reason]).toEqual([message, retryable, reason]);
  });

  it('truncates a title over 1024 runes and logs it as upstream', async () => {
    const n = await notifierFromConfig('slack', slackIntegration, config(`    title: '{{ range $i := .Alerts }}ü{{ end }}${'é'.repeat(1100)}'`));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]);
    const title = (JSON.parse((await slack.waitFor(1))[0]!.body) as { attachments: { title: string }[] }).attachments[0]!.title;
    expect([...title]).toHaveLength(1024);
    expect(title.endsWith('é…')).toBe(true);
    expect(n.logs).toContainEqual({ level: 'warn', msg: 'Truncated title', fields: { key: '{}:{alertname="FlinkJobDown"}', max_runes: 1024 } });
  });

  it('fails without sending when a template does not execute, and does not retry', async () => {
    const n = await notifierFromConfig('slack', slackIntegration, config(`    title: '{{ template "missing" . }}'`));
    const err = await rejection(n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]));
    expect(err!.message).toBe('template: :1:12: executing "" at <{{template "missing" .}}>: template "missing" not defined');
    expect(err!.retryable).toBe(false);
    expect(slack.requests).toHaveLength(0);
  });
});
