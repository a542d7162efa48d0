import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { browserSkipReason, newPage, screenshot } from './browser.js';
import { useBrowserAndStack } from './browser-stack.js';

// Every server page renders real data from the simulated Flink cluster without console errors,
// in light and dark mode at 1280×800; the old Prometheus paths open the matching page.

const PAGES = [
  { path: '/query', heading: 'Query' },
  { path: '/alerts', heading: 'Alerts', text: 'FlinkCheckpointsFailing' },
  { path: '/rules', heading: 'Rule health', text: 'flink_job:records_in_per_second:sum' },
  { path: '/targets', heading: 'Target health', text: 'pushgateway' },
  { path: '/service-discovery', heading: 'Service discovery', text: 'pushgateway' },
  { path: '/status', heading: 'Runtime & build information', text: '3.9.1' },
  { path: '/flags', heading: 'Command-line flags', text: '--config.file' },
  { path: '/config', heading: 'Configuration', text: 'scrape_configs' },
  { path: '/tsdb-status', heading: 'TSDB status', text: 'flink_' },
  { path: '/alertmanager-discovery', heading: 'Alertmanager discovery' },
];

describe.skipIf(browserSkipReason !== undefined)(`server UI pages${browserSkipReason ? ` — skipped: ${browserSkipReason}` : ''}`, () => {
  const env = useBrowserAndStack();

  it.each(PAGES)('$path renders without console errors', async ({ path, heading, text }) => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, errors } = await newPage(env.browser, scheme);
      await page.goto(`${env.stack.server}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      if (text !== undefined) await page.getByText(text).first().waitFor();
      expect(await page.evaluate('document.documentElement.dataset.theme')).toBe(scheme);
      await screenshot(page, `server${path.replaceAll('/', '-')}-${scheme}`);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it.each([
    ['/graph?g0.expr=up&g0.tab=1', '/query', 'up'],
    ['/', '/query', undefined],
  ])('old path %s opens %s', async (from, to, expr) => {
    const { page, errors } = await newPage(env.browser);
    await page.goto(`${env.stack.server}${from}`);
    await page.waitForURL((u) => u.pathname === to);
    if (expr !== undefined) expect(new URL(page.url()).searchParams.get('g0.expr')).toBe(expr);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('works under a path prefix from --web.external-url (links, assets and API calls stay under it)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'prometheus.yml'), "scrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:1']\n");
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/prom`;
    const server = await startProcess(process.execPath, [join(repoRoot(), 'apps/server/dist/main.js'), `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, `--web.external-url=${base}`], { readyUrl: `${base}/-/ready` });
    try {
      const { page, errors } = await newPage(env.browser);
      await page.goto(`${base}/`);
      await page.waitForURL(`${base}/query`);
      await page.getByRole('button', { name: /Status/ }).click();
      await page.getByRole('menuitem', { name: 'Target health' }).click();
      await page.waitForURL(`${base}/targets`);
      await page.getByText('http://127.0.0.1:1/metrics').waitFor();
      await screenshot(page, 'server-targets-prefix');
      expect(errors).toEqual([]);
      await page.context().close();
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('shows alerting rules with their firing alerts and rule health from a server evaluating them', async () => {
    const dir = tempDir();
    const pushgateway = new URL(env.stack.pushgateway).host;
    writeFileSync(join(dir, 'alerts.yml'), 'groups:\n  - name: flink-alerts\n    interval: 1s\n    rules:\n      - alert: FlinkJobRunning\n        expr: flink_jobmanager_job_uptime > 0\n        labels:\n          severity: info\n        annotations:\n          summary: "{{ $labels.job_name }} is running"\n      - alert: FlinkJobFailing\n        expr: flink_jobmanager_job_numRestarts > 100\n        for: 5m\n');
    writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: [${join(dir, 'alerts.yml')}]\nscrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - targets: ['${pushgateway}']\n`);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = await startProcess(process.execPath, [join(repoRoot(), 'apps/server/dist/main.js'), `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { readyUrl: `${base}/-/ready` });
    try {
      const { page, errors } = await newPage(env.browser);
      await page.goto(`${base}/alerts`);
      await page.getByText('1 firing · 0 pending · 1 inactive').waitFor({ timeout: 30_000 });
      await page.getByText('fraud_detection is running').waitFor();
      await screenshot(page, 'server-alerts-firing');
      await page.getByRole('button', { name: 'firing', exact: true }).click();
      await expect.poll(() => page.getByText('FlinkJobFailing').count()).toBe(0);
      await page.goto(`${base}/rules`);
      await page.getByText('flink-alerts').waitFor();
      await expect.poll(() => page.locator('.badge', { hasText: 'OK' }).count()).toBe(2);
      await screenshot(page, 'server-rules-evaluated');
      expect(errors).toEqual([]);
      await page.context().close();
    } finally {
      await server.stop();
    }
  }, 90_000);
});
