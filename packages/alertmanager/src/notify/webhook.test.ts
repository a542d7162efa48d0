import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpRecorder, tempDir } from '@pyrometer/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertmanagerError } from '../errors.js';
import { alertAt } from '../testing/harness.js';
import { notifierFromConfig } from '../testing/notifier-harness.js';
import { webhookIntegration } from './webhook.js';

let hook: HttpRecorder;
beforeEach(async () => {
  hook = await HttpRecorder.start({ otherwise: { status: 200, body: '' } });
});
afterEach(() => hook.close());

const config = (file: string) => `route: {receiver: hook}\nreceivers:\n- name: hook\n  webhook_configs: [{url_file: '${file}'}]\n`;

describe('webhook integration url_file', () => {
  it('reads the URL from url_file at send time, trimmed', async () => {
    const file = join(tempDir(), 'hook-url');
    writeFileSync(file, `${hook.url}/first\n`);
    const n = await notifierFromConfig('webhook', webhookIntegration, config(file));
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]);
    writeFileSync(file, `${hook.url}/second\n`);
    await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]);
    expect((await hook.waitFor(2)).map((r) => r.url)).toEqual(['/first', '/second']);
  });

  it('fails, not retryable and naming the setting, when url_file cannot be read', async () => {
    const n = await notifierFromConfig('webhook', webhookIntegration, config(join(tempDir(), 'missing')));
    const err = await n.notify([alertAt(n.clock, { alertname: 'FlinkJobDown' })]).then(() => undefined, (e: unknown) => e as AlertmanagerError);
    expect(err).toBeInstanceOf(AlertmanagerError);
    expect(err!.message).toMatch(/^read url_file: ENOENT/);
    expect(err!.retryable).toBe(false);
    expect(hook.requests).toHaveLength(0);
  });
});
