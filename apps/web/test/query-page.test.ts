import { describe, expect, it } from 'vitest';
import { browserSkipReason, newPage, screenshot } from './browser.js';
import { useBrowserAndStack } from './browser-stack.js';

// The query page against the real server with the simulated cluster's data: completion from the
// server, a query typed in the editor drawn as a graph, the table, explain and URL state.

describe.skipIf(browserSkipReason !== undefined)(`query page${browserSkipReason ? ` — skipped: ${browserSkipReason}` : ''}`, () => {
  const env = useBrowserAndStack();

  it('completes metric names and label values from the server and draws a typed query as a graph', async () => {
    // A graph's last point lies up to one step (14 s for 1 h) before now: until the data is older
    // than that, the graph rightly shows "Empty query result" (a just-started stack, as in CI).
    await env.stack.waitForQuery('flink_jobmanager_job_uptime offset 15s');
    const { page, errors } = await newPage(env.browser);
    await page.goto(`${env.stack.server}/query`);
    const editor = page.getByTestId('promql-editor');
    await editor.click();
    await page.keyboard.type('flink_jobmanager_job_upt');
    await page.locator('.cm-tooltip-autocomplete').getByText('flink_jobmanager_job_uptime').first().waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.type('ime{job_name="');
    await page.locator('.cm-tooltip-autocomplete').getByText('fraud_detection').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('flink_jobmanager_job_uptime / 1000');
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.getByRole('button', { name: 'Execute' }).click();
    await page.locator('[data-testid=chart] canvas').waitFor();
    const legend = page.locator('.legend li');
    await expect.poll(() => legend.count()).toBe(3);
    expect(await legend.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('job_name="fraud_detection"')]));
    const url = new URL(page.url());
    expect(url.searchParams.get('g0.expr')).toBe('flink_jobmanager_job_uptime / 1000');
    expect(url.searchParams.get('g0.tab')).toBe('graph');
    await page.getByRole('button', { name: 'Stacked', exact: true }).click();
    await page.getByRole('textbox', { name: 'Range' }).fill('1m');
    await page.getByRole('textbox', { name: 'Range' }).press('Enter');
    await page.waitForURL((u) => u.searchParams.get('g0.range_input') === '1m' && u.searchParams.get('g0.display_mode') === 'stacked');
    await page.locator('[data-testid=chart] canvas').waitFor();
    // Retried: the chart is redrawn from scratch when the new range's data arrives.
    const over = page.locator('[data-testid=chart] .u-over');
    await expect
      .poll(async () => {
        const box = await over.boundingBox();
        if (box === null) return false;
        await over.hover({ position: { x: box.width - 30, y: box.height / 2 }, timeout: 2_000 }).catch(() => undefined);
        return page.locator('.chart-tooltip').isVisible();
      }, { timeout: 30_000 })
      .toBe(true);
    await screenshot(page, 'server-query-graph');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('runs the graph range query again on every Execute, also with a fixed end time', async () => {
    const { page, errors } = await newPage(env.browser);
    const rangeQueryAnswered = () => page.waitForResponse((r) => r.url().includes('/api/v1/query_range') && r.ok());
    const end = new Date(Date.now() + 60_000).toISOString().slice(0, 19).replace('T', ' ');
    let answered = rangeQueryAnswered();
    await page.goto(`${env.stack.server}/query?g0.expr=${encodeURIComponent('sum(flink_jobmanager_numRunningJobs)')}&g0.tab=graph&g0.range_input=5m&g0.end_input=${encodeURIComponent(end)}`);
    await answered;
    for (let run = 0; run < 2; run++) {
      answered = rangeQueryAnswered();
      await page.getByRole('button', { name: 'Execute' }).click();
      await answered;
    }
    await page.locator('[data-testid=chart] canvas').waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('opens a 2.x link in the table view, shows an inline parse error, formats and explains', async () => {
    const { page, errors } = await newPage(env.browser, 'dark');
    await page.goto(`${env.stack.server}/graph?g0.expr=${encodeURIComponent('sum by(job_name)(flink_jobmanager_job_numRestarts)')}&g0.tab=1&g0.range_input=30m`);
    await page.getByTestId('query-table').getByText('job_name="orders_aggregation"').waitFor();
    expect(new URL(page.url()).pathname).toBe('/query');
    expect(new URL(page.url()).searchParams.get('g0.range_input')).toBe('30m');
    await page.getByRole('button', { name: 'Format' }).click();
    await page.getByTestId('promql-editor').getByText('sum by (job_name) (flink_jobmanager_job_numRestarts)').waitFor();
    await page.getByRole('tab', { name: 'Explain' }).click();
    await page.getByTestId('ast-tree').getByText('flink_jobmanager_job_numRestarts').waitFor();
    await screenshot(page, 'server-query-explain-dark');
    await page.getByRole('button', { name: 'Add query' }).click();
    const second = page.getByTestId('promql-editor').nth(1);
    await second.click();
    await page.keyboard.type('sum(rate(');
    await page.keyboard.press('Enter');
    await page.locator('.cm-lintRange-error, .alert-error').first().waitFor();
    await screenshot(page, 'server-query-error-dark');
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    await page.context().close();
  }, 60_000);
});
