import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpRecorder, tempDir } from '@pyrometer/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertmanagerError } from '../errors.js';
import { alertAt } from '../testing/harness.js';
import { notifierFromConfig } from '../testing/notifier-harness.js';
import { msteamsIntegration, msteamsV2Integration } from './msteams.js';

let teams: HttpRecorder;
beforeEach(async () => {
  teams = await HttpRecorder.start({ otherwise: { status: 200, body: '1' } });
});
afterEach(() => teams.close());

const config = (type: string, fields = '') => `
route: {receiver: teams}
receivers:
- name: teams
  ${type}_configs:
  - webhook_url: '${teams.url}/webhookb2/x'
${fields}`;

const resolved = (n: { clock: { now(): number } }) => alertAt(n.clock as never, { alertname: 'FlinkJobDown', job_name: 'orders' }, { startsAt: n.clock.now() - 60_000, endsAt: n.clock.now() - 1_000 });

describe('msteams integration (Office 365 connector)', () => {
  it('posts a MessageCard from the default templates, red while firing and green once resolved', async () => {
    const n = await notifierFromConfig('msteams', msteamsIntegration, config('msteams'));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' }, { annotations: { summary: 'orders is down' } })]);
    const [req] = await teams.waitFor(1);
    expect([req!.method, req!.url, req!.headers['content-type'], req!.headers['user-agent']]).toEqual(['POST', '/webhookb2/x', 'application/json', 'Alertmanager/0.28.1']);
    const text = '\\n\\n# Alerts Firing:\\n\\nLabels:\\n  - alertname = FlinkJobDown\\n  - job_name = orders\\n\\nAnnotations:\\n  - summary = orders is down\\n\\nSource: http://prometheus:9090/graph\\n\\n\\n\\n\\n';
    expect(req!.body).toBe(`{"@context":"http://schema.org/extensions","type":"MessageCard","title":"[FIRING:1] FlinkJobDown (orders)","summary":"[FIRING:1] FlinkJobDown (orders)","text":"${text}","themeColor":"8C1A1A"}\n`);
    await n.notify([resolved(n)]);
    expect((JSON.parse((await teams.waitFor(2))[1]!.body) as { themeColor: string }).themeColor).toBe('2DC72D');
  });

  it('reads webhook_url_file, and retries 5xx but not 429 (upstream\'s default retrier)', async () => {
    const file = join(tempDir(), 'url');
    writeFileSync(file, `${teams.url}/from-file\n`);
    const n = await notifierFromConfig('msteams', msteamsIntegration, config('msteams').replace(`webhook_url: '${teams.url}/webhookb2/x'`, `webhook_url_file: ${file}`));
    teams.answer({ status: 429, body: 'throttled' }, { status: 500 });
    const first = (await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]).catch((e: unknown) => e)) as AlertmanagerError;
    const second = (await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]).catch((e: unknown) => e)) as AlertmanagerError;
    expect([first.message, first.retryable, second.message, second.retryable]).toEqual(['unexpected status code 429: throttled', false, 'unexpected status code 500', true]);
    expect(teams.requests.map((r) => r.url)).toEqual(['/from-file', '/from-file']);
  });
});

describe('msteamsv2 integration (Teams workflows)', () => {
  it('posts an Adaptive Card from the default templates, with the status colour and a custom title template', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'teams.tmpl'), '{{ define "flink.teams.title" }}Flink: {{ .CommonLabels.job_name }} {{ .Status }}{{ end }}');
    const n = await notifierFromConfig('msteamsv2', msteamsV2Integration, `templates: ['${dir}/*.tmpl']\n${config('msteamsv2', `    title: '{{ template "flink.teams.title" . }}'`)}`);
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' })]);
    const [req] = await teams.waitFor(1);
    const body = JSON.parse(req!.body) as unknown;
    expect(body).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.2',
            body: [
              { type: 'TextBlock', text: 'Flink: orders firing', weight: 'Bolder', size: 'Medium', wrap: true, style: 'heading', color: 'Attention' },
              { type: 'TextBlock', text: expect.stringContaining('# Alerts Firing:') as unknown, wrap: true },
            ],
            msteams: { width: 'full' },
          },
        },
      ],
    });
    await n.notify([resolved(n)]);
    expect((await teams.waitFor(2))[1]!.body).toContain('"color":"Good"');
  });
});
