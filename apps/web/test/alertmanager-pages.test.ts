import type { AmAlert } from '@pyrometer/http-api';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerSkipReason, startAlertmanager, type AlertmanagerUnderTest } from './alertmanager-peer.js';
import { browserSkipReason, launchBrowser, newPage, screenshot } from './browser.js';

// The Alertmanager's pages: alerts grouped by the routing tree, a silence created in the UI from
// an alert's "Silence" link, whose preview shows that alert, and which then suppresses it; edit,
// expire, receivers and status. Alerts are posted as Prometheus's notifier posts them, labelled
// as the simulated Flink cluster's jobs are.

const skip = browserSkipReason ?? alertmanagerSkipReason;

const ALERTS = [
  { labels: { alertname: 'FlinkJobBackpressured', job_name: 'fraud_detection', severity: 'warning' }, annotations: { summary: 'fraud_detection is back-pressured' } },
  { labels: { alertname: 'FlinkJobBackpressured', job_name: 'orders_aggregation', severity: 'warning' }, annotations: { summary: 'orders_aggregation is back-pressured' } },
  { labels: { alertname: 'FlinkCheckpointsFailing', job_name: 'clickstream_enrichment', severity: 'critical' }, annotations: { summary: 'checkpoints fail' } },
];

describe.skipIf(skip !== undefined)(`Alertmanager pages${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let am: AlertmanagerUnderTest;
  let browser: Browser;
  const alertsNamed = async (job: string) => ((await (await fetch(`${am.url}/api/v2/alerts?filter=${encodeURIComponent(`job_name="${job}"`)}`)).json()) as AmAlert[]);

  beforeAll(async () => {
    browser = await launchBrowser();
    am = await startAlertmanager();
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await fetch(`${am.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ALERTS.map((a) => ({ ...a, startsAt: new Date().toISOString(), endsAt, generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=up&g0.tab=1' }))) });
    expect(res.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await am?.stop();
  });

  it('groups alerts as the routing tree does and filters them', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${am.url}/`);
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    await expect.poll(() => page.locator('.card').count()).toBe(3);
    await page.getByText('→ flink-team').first().waitFor();
    await screenshot(page, 'alertmanager-alerts');
    await page.getByLabel('Filter').fill('{severity="critical"}');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('.card').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('filter')).toBe('{severity="critical"}');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('creates a silence from an alert, previewing exactly the alert it then suppresses; edits and expires it', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${am.url}/alerts`);
    const card = page.locator('.card', { hasText: 'fraud_detection' });
    await card.getByRole('link', { name: 'Silence' }).click();
    await page.getByRole('heading', { name: 'New silence' }).waitFor();
    const matchers = page.getByLabel('Matchers');
    expect(await matchers.inputValue()).toContain('job_name="fraud_detection"');
    await matchers.fill('{alertname="FlinkJobBackpressured", job_name="fraud_detection"}');
    const preview = page.getByTestId('silence-preview');
    await expect.poll(() => preview.locator('tbody tr').count()).toBe(1);
    await preview.getByText('fraud_detection is back-pressured').waitFor();
    await page.getByLabel('Creator').fill('ui-test');
    await page.getByLabel('Comment').fill('deploying a fix');
    await screenshot(page, 'alertmanager-silence-new');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Silence', exact: true }).waitFor();
    const id = new URL(page.url()).pathname.split('/').pop()!;
    await expect.poll(async () => (await alertsNamed('fraud_detection'))[0]?.status).toMatchObject({ state: 'suppressed', silencedBy: [id] });
    expect((await alertsNamed('orders_aggregation'))[0]?.status.state).toBe('active');
    await page.getByText('fraud_detection is back-pressured').waitFor();
    await screenshot(page, 'alertmanager-silence');

    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Duration').fill('4h');
    await page.getByRole('button', { name: 'Update' }).click();
    await page.getByRole('heading', { name: 'Silence', exact: true }).waitFor();
    const edited = new URL(page.url()).pathname.split('/').pop()!;
    const silenceEnd = async (sid: string) => Date.parse(((await (await fetch(`${am.url}/api/v2/silence/${sid}`)).json()) as { endsAt: string }).endsAt);
    expect((await silenceEnd(edited)) - Date.now()).toBeGreaterThan(3.9 * 3_600_000);

    await page.getByRole('link', { name: 'Silences' }).click();
    const row = page.locator(`[data-silence="${edited}"]`);
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Expire' }).click();
    await expect.poll(async () => (await alertsNamed('fraud_detection'))[0]?.status.state).toBe('active');
    await page.getByRole('tab', { name: /expired/ }).click();
    await screenshot(page, 'alertmanager-silences-expired');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('opens upstream hash links (notification templates) and shows receivers and status', async () => {
    const { page, errors } = await newPage(browser, 'dark');
    await page.goto(`${am.url}/#/silences/new?filter=${encodeURIComponent('{alertname="FlinkCheckpointsFailing"}')}`);
    await page.getByRole('heading', { name: 'New silence' }).waitFor();
    expect(await page.getByLabel('Matchers').inputValue()).toBe('{alertname="FlinkCheckpointsFailing"}');
    await page.getByTestId('silence-preview').getByText('checkpoints fail').waitFor();
    await screenshot(page, 'alertmanager-silence-new-dark');
    await page.getByRole('link', { name: 'Receivers' }).click();
    await page.getByRole('cell', { name: 'flink-team' }).waitFor();
    await screenshot(page, 'alertmanager-receivers-dark');
    await page.getByRole('link', { name: 'Status', exact: true }).click();
    await page.getByText('group_by').waitFor();
    await screenshot(page, 'alertmanager-status-dark');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);
});
