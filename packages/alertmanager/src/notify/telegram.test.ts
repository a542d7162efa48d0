import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpRecorder, tempDir } from '@pyrometer/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertmanagerError } from '../errors.js';
import { alertAt } from '../testing/harness.js';
import { notifierFromConfig } from '../testing/notifier-harness.js';
import { telegramIntegration } from './telegram.js';

let tg: HttpRecorder;
beforeEach(async () => {
  tg = await HttpRecorder.start({ otherwise: { status: 200, body: '{"ok":true,"result":{"message_id":7,"chat":{"id":-100123}}}', contentType: 'application/json' } });
});
afterEach(() => tg.close());

const config = (fields = '') => `
global: {telegram_api_url: '${tg.url}'}
route: {receiver: tg}
receivers:
- name: tg
  telegram_configs:
  - bot_token: '123:ABC'
    chat_id: -100123
${fields}`;

describe('telegram integration', () => {
  it('calls sendMessage with the default template rendered as HTML (parse_mode HTML by default)', async () => {
    const n = await notifierFromConfig('telegram', telegramIntegration, config());
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders<1>' }, { annotations: { summary: 'a & b' } })]);
    const [req] = await tg.waitFor(1);
    expect([req!.method, req!.url, req!.headers['content-type']]).toEqual(['POST', '/bot123:ABC/sendMessage', 'application/json']);
    const text = '\n\nAlerts Firing:\nLabels:\n - alertname = FlinkJobDown\n - job_name = orders&lt;1&gt;\nAnnotations:\n - summary = a &amp; b\nSource: http://prometheus:9090/graph\n\n\n\n';
    expect(JSON.parse(req!.body)).toEqual({ chat_id: '-100123', disable_web_page_preview: 'true', parse_mode: 'HTML', text });
    expect(Object.keys(JSON.parse(req!.body) as object)).toEqual(['chat_id', 'disable_web_page_preview', 'parse_mode', 'text']);
  });

  it('renders as text without parse_mode, sends disable_notification and message_thread_id, reads bot_token_file', async () => {
    const file = join(tempDir(), 'token');
    writeFileSync(file, '456:DEF\n');
    const n = await notifierFromConfig('telegram', telegramIntegration, config(`    parse_mode: ''\n    disable_notifications: true\n    message_thread_id: 42\n    message: '<b>{{ .CommonLabels.job_name }}</b>'`).replace("bot_token: '123:ABC'", `bot_token_file: ${file}`));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'a<b' })]);
    const [req] = await tg.waitFor(1);
    expect(req!.url).toBe('/bot456:DEF/sendMessage');
    expect(JSON.parse(req!.body)).toEqual({ chat_id: '-100123', disable_notification: 'true', disable_web_page_preview: 'true', message_thread_id: '42', text: '<b>a<b</b>' });
  });

  it('truncates the message to 4096 runes, logging it', async () => {
    const n = await notifierFromConfig('telegram', telegramIntegration, config(`    message: '${'m'.repeat(5000)}'`));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]);
    expect([...(JSON.parse((await tg.waitFor(1))[0]!.body) as { text: string }).text]).toHaveLength(4096);
    expect(n.logs).toContainEqual({ level: 'warn', msg: 'Truncated message', fields: { alert: '{}:{alertname="FlinkJobDown"}', max_runes: 4096 } });
  });

  it('fails on an error answer, whatever its HTTP status, and retries every failure as upstream', async () => {
    tg.answer({ status: 400, body: '{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}', contentType: 'application/json' }, { status: 502, body: '<html>bad gateway</html>' });
    const n = await notifierFromConfig('telegram', telegramIntegration, config());
    const errors = [];
    for (let i = 0; i < 2; i++) errors.push((await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]).catch((e: unknown) => e)) as AlertmanagerError);
    expect(errors.map((e) => [e.message, e.retryable])).toEqual([
      ['telegram: chat not found (400)', true],
      [expect.stringMatching(/^telebot: /), true],
    ]);
  });
});
