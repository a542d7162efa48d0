import { HttpRecorder } from '@pyrometer/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertmanagerError } from '../errors.js';
import { alertAt } from '../testing/harness.js';
import { notifierFromConfig } from '../testing/notifier-harness.js';
import { discordIntegration } from './discord.js';

let discord: HttpRecorder;
beforeEach(async () => {
  discord = await HttpRecorder.start({ otherwise: { status: 204 } });
});
afterEach(() => discord.close());

const config = (fields = '') => `
route: {receiver: chat}
receivers:
- name: chat
  discord_configs:
  - webhook_url: '${discord.url}/api/webhooks/1/t0ken'
${fields}`;

describe('discord integration', () => {
  it('posts the content and one embed from the default templates; red while firing, green when resolved', async () => {
    const n = await notifierFromConfig('discord', discordIntegration, config(`    username: pyrometer\n    avatar_url: 'http://img.example/a.png'`));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' })]);
    const [req] = await discord.waitFor(1);
    expect([req!.method, req!.url, req!.headers['content-type']]).toEqual(['POST', '/api/webhooks/1/t0ken', 'application/json']);
    const description = '\\n\\nAlerts Firing:\\nLabels:\\n - alertname = FlinkJobDown\\n - job_name = orders\\nAnnotations:\\nSource: http://prometheus:9090/graph\\n\\n\\n\\n';
    expect(req!.body).toBe(`{"content":"","embeds":[{"title":"[FIRING:1] FlinkJobDown (orders)","description":"${description}","color":10038562}],"username":"pyrometer","avatar_url":"http://img.example/a.png"}\n`);
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' }, { startsAt: n.clock.now() - 60_000, endsAt: n.clock.now() - 1_000 })]);
    expect((JSON.parse((await discord.waitFor(2))[1]!.body) as { embeds: { color: number }[] }).embeds[0]!.color).toBe(0x2ecc71);
  });

  it('truncates title (256), description (4096) and content (2000) runes, logging each', async () => {
    const n = await notifierFromConfig('discord', discordIntegration, config(`    title: '${'t'.repeat(300)}'\n    message: '${'d'.repeat(5000)}'\n    content: '${'c'.repeat(2500)}'`));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]);
    const body = JSON.parse((await discord.waitFor(1))[0]!.body) as { content: string; embeds: { title: string; description: string }[] };
    expect([[...body.embeds[0]!.title].length, [...body.embeds[0]!.description].length, [...body.content].length]).toEqual([256, 4096, 2000]);
    expect(n.logs.map((l) => [l.msg, l.fields['max_runes']])).toEqual([['Truncated title', 256], ['Truncated message', 4096], ['Truncated message', 2000]]);
  });

  it('retries 5xx, not 4xx, and counts both as reason other (upstream does not classify Discord failures)', async () => {
    discord.answer({ status: 503 }, { status: 400, body: '{"message":"Invalid Form Body"}' });
    const n = await notifierFromConfig('discord', discordIntegration, config());
    const errors = [];
    for (let i = 0; i < 2; i++) errors.push((await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]).catch((e: unknown) => e)) as AlertmanagerError);
    expect(errors.map((e) => [e.message, e.retryable, e.reason])).toEqual([
      ['unexpected status code 503', true, 'other'],
      ['unexpected status code 400: {"message":"Invalid Form Body"}', false, 'other'],
    ]);
  });
});
