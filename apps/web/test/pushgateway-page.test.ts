import { join } from 'node:path';
import { freePort, repoRoot, startProcess, type RunningProcess } from '@pyrometer/testkit';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchBrowser, newPage, screenshot } from './browser.js';
import { startStack, type Stack } from './stack.js';

// The Pushgateway's page against the stack's Pushgateway (the simulated Flink processes push to
// it), and against one started with delete-by-matchers enabled.

const push = (base: string, path: string, body: string) => fetch(`${base}/metrics/${path}`, { method: 'PUT', body, headers: { 'Content-Type': 'text/plain; version=0.0.4' } });
const groupLabels = async (base: string) => ((await (await fetch(`${base}/api/v1/metrics`)).json()) as { data: { labels: Record<string, string> }[] }).data.map((g) => g.labels);

describe.skipIf(browserSkipReason !== undefined)(`Pushgateway page${browserSkipReason ? ` — skipped: ${browserSkipReason}` : ''}`, () => {
  let stack: Stack;
  let browser: Browser;
  let matchersGateway: RunningProcess;
  let matchersUrl: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    stack = await startStack();
    const port = await freePort();
    matchersUrl = `http://127.0.0.1:${port}`;
    matchersGateway = await startProcess(process.execPath, [join(repoRoot(), 'apps/pushgateway/dist/main.js'), `--web.listen-address=127.0.0.1:${port}`, '--web.enable-delete-by-matchers'], { readyUrl: `${matchersUrl}/-/ready` });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await matchersGateway?.stop();
    await stack?.stop();
  });

  it('lists the Flink processes’ groups with their metrics and last push, and deletes a group as upstream’s UI does', async () => {
    expect((await push(stack.pushgateway, 'job/ui-test/instance@base64/YS9i', 'ui_test_value 42\n')).status).toBe(200);
    const { page, errors } = await newPage(browser);
    await page.goto(`${stack.pushgateway}/`);
    await page.getByRole('heading', { name: 'Metric groups' }).waitFor();
    await page.getByText('Groups not pushed to for 1h 0m are deleted').waitFor();
    await expect.poll(() => page.locator('.card').count()).toBeGreaterThanOrEqual(4);
    const group = page.locator('.card', { hasText: 'job="ui-test"' });
    await group.locator('.card-title').click();
    await group.getByRole('button', { name: /ui_test_value/ }).click();
    await group.getByText('42').waitFor();
    await page.locator('.card', { hasText: 'job="flink' }).first().locator('.card-title').click();
    await screenshot(page, 'pushgateway-groups');
    page.once('dialog', (d) => void d.accept());
    await group.getByRole('button', { name: 'Delete group' }).click();
    await expect.poll(async () => (await groupLabels(stack.pushgateway)).some((l) => l['job'] === 'ui-test')).toBe(false);
    await expect.poll(() => page.locator('.card', { hasText: 'job="ui-test"' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Status' }).click();
    await page.getByText('--push.group-ttl').waitFor();
    await screenshot(page, 'pushgateway-status');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('deletes every group matching a selector when delete-by-matchers is enabled', async () => {
    for (const job of ['flinkJobA', 'flinkJobB', 'other']) expect((await push(matchersUrl, `job/${job}`, 'x 1\n')).status).toBe(200);
    const { page, errors } = await newPage(browser, 'dark');
    await page.goto(`${matchersUrl}/`);
    await expect.poll(() => page.locator('.card').count()).toBe(3);
    await page.getByLabel('Group selector').fill('{job=~"flinkJob.*"}');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete matching' }).click();
    await expect.poll(() => page.locator('.card').count()).toBe(1);
    expect((await groupLabels(matchersUrl)).map((l) => l['job'])).toEqual(['other']);
    await screenshot(page, 'pushgateway-delete-matching-dark');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);
});
