import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { peer, repoRoot } from '@pyrometer/testkit';
import { recordForFailure } from './failure-record.js';

// Browser tests drive Debian's Chromium (never a downloaded browser) through playwright-core: one
// browser per test file, a fresh profile (playwright makes one per launch), the flags that keep
// it off the network.

const root = repoRoot();
const chromiumPeer = peer('chromium', 'chromium');
const uiBuilt = existsSync(join(root, 'apps/web/dist/ui/index.html'));
const appsBuilt = ['apps/server', 'apps/pushgateway', 'apps/flink-simulator'].every((app) => existsSync(join(root, app, 'dist/main.js')));
if ((!uiBuilt || !appsBuilt) && process.env['CI'] === 'true') throw new Error('browser tests need the build: run `pnpm run build` first (npm test does)');

/** Why the browser tests cannot run here, or undefined when they can (for `describe.skipIf`). */
export const browserSkipReason: string | undefined = chromiumPeer.missingReason ?? (uiBuilt && appsBuilt ? undefined : 'the UI or the apps are not built (run `npx pnpm run build`)');

/** Starts Debian's headless Chromium. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPeer.path!,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page plus every console error and uncaught exception it produced. */
export interface WatchedPage {
  page: Page;
  errors: string[];
}

let pagesOpened = 0;

/**
 * A new 1280×800 page in the given colour scheme that records console errors and page errors;
 * should the calling test fail, its screenshot and log are saved (see failure-record.ts).
 */
export async function newPage(browser: Browser, colorScheme: 'light' | 'dark' = 'light'): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
  const page = await context.newPage();
  recordForFailure(page, SCREENSHOT_DIR, ++pagesOpened);
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()} (${m.location().url})`));
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return { page, errors };
}

/** The artifacts folder for screenshots (gitignored): `artifacts/ui/` at the repository root. */
export const SCREENSHOT_DIR = join(root, 'artifacts', 'ui');

/** Saves a full-page screenshot as `artifacts/ui/<name>.png` and prints its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  return path;
}
