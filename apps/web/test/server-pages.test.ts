import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchBrowser, newPage, screenshot } from './browser.js';
import { startStack, type Stack } from './stack.js';

// Every server page renders real data from the simulated Flink cluster without console errors,
// in light and dark mode at 1280×800; the old Prometheus paths open the matching page.

const PAGES = [
  { path: '/query', heading: 'Query' },
  { path: '/alerts', heading: 'Alerts' },
  { path: '/rules', heading: 'Rule health' },
  { path: '/targets', heading: 'Target health', text: 'pushgateway' },
  { path: '/service-discovery', heading: 'Service discovery', text: 'pushgateway' },
  { path: '/status', heading: 'Runtime & build information', text: '3.9.1' },
  { path: '/flags', heading: 'Command-line flags', text: '--config.file' },
  { path: '/config', heading: 'Configuration', text: 'scrape_configs' },
  { path: '/tsdb-status', heading: 'TSDB status', text: 'flink_' },
  { path: '/alertmanager-discovery', heading: 'Alertmanager discovery' },
];

describe.skipIf(browserSkipReason !== undefined)(`server UI pages${browserSkipReason ? ` — skipped: ${browserSkipReason}` : ''}`, () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
    stack = await startStack();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it.each(PAGES)('$path renders without console errors', async ({ path, heading, text }) => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, errors } = await newPage(browser, scheme);
      await page.goto(`${stack.server}${path}`);
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
    const { page, errors } = await newPage(browser);
    await page.goto(`${stack.server}${from}`);
    await page.waitForURL((u) => u.pathname === to);
    if (expr !== undefined) expect(new URL(page.url()).searchParams.get('g0.expr')).toBe(expr);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
