import { describe, expect, it } from 'vitest';
import { browserSkipReason, newPage, screenshot } from './browser.js';
import { useBrowserAndStack } from './browser-stack.js';

// The built-in Flink dashboard with nothing but the server: the simulated cluster's overview,
// a job page whose graph turns back-pressured when the simulator switches scenario, a
// TaskManager's JVM page.

describe.skipIf(browserSkipReason !== undefined)(`Flink dashboard${browserSkipReason ? ` — skipped: ${browserSkipReason}` : ''}`, () => {
  const env = useBrowserAndStack();

  it('shows the cluster: 2 TaskManagers, 6 slots, 3 running jobs, the jobs and the TaskManagers', async () => {
    const { page, errors } = await newPage(env.browser);
    await page.goto(`${env.stack.server}/flink`);
    const stat = (title: string) => page.locator(`[data-stat="${title}"] .stat-value`);
    await expect.poll(() => stat('TaskManagers').textContent()).toBe('2');
    await expect.poll(() => stat('Task slots').textContent()).toBe('6');
    await expect.poll(() => stat('Running jobs').textContent()).toBe('3');
    await expect.poll(() => page.getByTestId('flink-jobs').locator('tbody tr').count()).toBe(3);
    await expect.poll(() => page.getByTestId('flink-taskmanagers').locator('tbody tr').count()).toBe(2);
    await page.locator('[data-panel="Job uptime"] canvas').waitFor();
    await screenshot(page, 'flink-overview');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('colours the job graph by back-pressure after the simulator switches to backpressure', async () => {
    const { page, errors } = await newPage(env.browser);
    await page.goto(`${env.stack.server}/flink`);
    await page.getByTestId('flink-jobs').getByRole('link', { name: 'fraud_detection' }).click();
    await page.getByRole('heading', { name: 'Job fraud_detection' }).waitFor();
    const vertices = page.locator('[data-vertex]');
    await expect.poll(() => vertices.count()).toBe(4);
    expect(await vertices.first().getAttribute('data-vertex')).toMatch(/^Source/);
    expect(await page.locator('[data-state=backpressured]').count()).toBe(0);
    await page.locator('[data-panel="Records out per second by operator"] canvas').waitFor();
    await screenshot(page, 'flink-job-steady');
    expect((await fetch(`${env.stack.simulator}/scenario/backpressure`, { method: 'POST' })).status).toBe(200);
    await env.stack.waitForQuery('max(flink_taskmanager_job_task_backPressuredTimeMsPerSecond{job_name="fraud_detection"}) > 500');
    await page.reload();
    await expect.poll(() => page.locator('[data-state=backpressured]').count(), { timeout: 45_000 }).toBeGreaterThan(0);
    expect(await page.locator('[data-vertex^="Sink"]').getAttribute('data-state')).toBe('busy');
    await screenshot(page, 'flink-job-backpressure');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 180_000);

  it("shows a TaskManager's JVM", async () => {
    const { page, errors } = await newPage(env.browser, 'dark');
    await page.goto(`${env.stack.server}/flink`);
    await page.getByTestId('flink-taskmanagers').getByRole('link').first().click();
    await page.locator('[data-panel="Heap used"] canvas').waitFor();
    await page.locator('[data-panel="CPU load"] canvas').waitFor();
    await screenshot(page, 'flink-taskmanager-dark');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);
});
