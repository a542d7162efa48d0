import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../alerts/alert.js';
import { alertAt, testAlertmanager } from '../testing/harness.js';
import { builtinIntegrations } from './builtins.js';
import type { NotifyContext } from './context.js';

const slackConfig = (dir: string) => `
templates: ['${dir}/*.tmpl']
route:
  receiver: chat
  group_wait: 1s
receivers:
- name: chat
  slack_configs:
  - api_url: https://hooks.example/x
    channel: '#flink'
    title: '{{ template "flink.title" . }}'
- name: unused
  pagerduty_configs: [{routing_key: k}]
`;

describe('integration registry (the seam other integrations plug into)', () => {
  it.each(['pushover', 'webex', 'wechat', 'victorops', 'sns', 'jira', 'rocketchat'])('refuses a referenced %s receiver (a type not implemented), by name, at load', async (type) => {
    const configs: Record<string, string> = {
      pushover: '{user_key: u, token: t}',
      webex: '{room_id: r, http_config: {authorization: {credentials: c}}}',
      wechat: '{api_secret: s, corp_id: c}',
      victorops: '{api_key: k, routing_key: r}',
      sns: '{topic_arn: arn}',
      jira: '{api_url: "http://jira.example", project: P, issue_type: Bug}',
      rocketchat: '{token_id: i, token: t}',
    };
    const supported = 'webhook_configs, email_configs, pagerduty_configs, opsgenie_configs, slack_configs, telegram_configs, discord_configs, msteams_configs, msteamsv2_configs';
    await expect(testAlertmanager(`route: {receiver: r}\nreceivers:\n- name: r\n  ${type}_configs: [${configs[type]}]\n`)).rejects.toThrow(`receiver "r": ${type}_configs are not supported by this Alertmanager yet (supported: ${supported})`);
  });

  it('builds a registered integration, which renders the config templates and the built-ins; unreferenced receivers are not built', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'flink.tmpl'), '{{ define "flink.title" }}[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}{{ end }}');
    const sent: string[] = [];
    const integrations = builtinIntegrations().register('slack', (config, deps) => ({
      async notify(ctx: NotifyContext, alerts: readonly Alert[]) {
        const data = deps.templateData(ctx.receiver, ctx.groupLabels, alerts, deps.clock.now());
        sent.push(`${config.channel} ${await deps.templates.executeText(config.title, data)} | ${await deps.templates.executeText('{{ template "__subject" . }}', data)}`);
      },
    }));
    const { am, clock } = await testAlertmanager(slackConfig(dir), { integrations });
    await am.provider.put([alertAt(clock, { alertname: 'FlinkJobDown', job_name: 'orders' })]);
    await clock.advance(1_000);
    expect(sent).toEqual(['#flink [FIRING] FlinkJobDown | [FIRING:1]  (FlinkJobDown orders)']);
    await am.stop();
  });

  it('refuses templates that do not parse', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.tmpl'), '{{ define "x" }}{{ .Oops');
    await expect(testAlertmanager(`templates: ['${dir}/*.tmpl']\nroute: {receiver: r}\nreceivers: [{name: r}]\n`)).rejects.toThrow(/^failed to parse templates: template: bad\.tmpl:1: /);
  });
});
