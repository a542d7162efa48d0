import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../alerts/alert.js';
import { INTEGRATION_TYPES } from '../config/receivers/receiver.js';
import { alertAt, testAlertmanager } from '../testing/harness.js';
import { builtinIntegrations } from './builtins.js';
import type { NotifyContext } from './context.js';
import { IntegrationRegistry } from './notifier.js';
import { webhookIntegration } from './webhook.js';

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
  it('refuses a referenced receiver whose type nobody registered, by name, at load; an unreferenced one loads', async () => {
    const integrations = new IntegrationRegistry().register('webhook', webhookIntegration);
    const yaml = (receiver: string) => `route: {receiver: ${receiver}}\nreceivers:\n- {name: r, slack_configs: [{api_url: 'http://chat.example/x'}]}\n- {name: w, webhook_configs: [{url: 'http://hook.example/x'}]}\n`;
    await expect(testAlertmanager(yaml('r'), { integrations })).rejects.toThrow('receiver "r": slack_configs are not supported by this Alertmanager yet (supported: webhook_configs)');
    const { am } = await testAlertmanager(yaml('w'), { integrations });
    await am.stop();
  });

  it('has a built-in integration for every receiver type of the config', () => {
    expect(INTEGRATION_TYPES.filter((type) => !builtinIntegrations().supports(type))).toEqual([]);
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
