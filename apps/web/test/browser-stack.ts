import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { startStack, type Stack } from './stack.js';

/** The browser and the stack a test file shares; set once `beforeAll` has run. */
export interface BrowserAndStack {
  browser: Browser;
  stack: Stack;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that start one Chromium and the `npm start` stack for the
 * calling describe block, and stop both after it (waiting for another file's stack to stop
 * first: see stack.ts). Read the fields inside tests.
 */
export function useBrowserAndStack(): BrowserAndStack {
  const shared = {} as BrowserAndStack;
  beforeAll(async () => {
    shared.browser = await launchBrowser();
    shared.stack = await startStack();
  }, 300_000);
  afterAll(async () => {
    await shared.browser?.close();
    await shared.stack?.stop();
  });
  return shared;
}
