import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Request, Response } from 'playwright-core';
import { onTestFailed } from 'vitest';

// What a failing browser test leaves behind: a screenshot of each of its open pages and the
// page's log — console messages, page errors and every request with its answer (API bodies
// included) — so a failure seen once in CI can be read afterwards.

/** Longest response body kept in the log, in characters. */
const MAX_BODY = 4_000;

function isApiCall(request: Request): boolean {
  return request.resourceType() === 'fetch' || request.resourceType() === 'xhr';
}

async function describeAnswer(request: Request, response: Response): Promise<string> {
  const head = `${request.method()} ${request.url()} → ${response.status()}`;
  if (!isApiCall(request)) return head;
  const body = await response.text().catch((err: Error) => `(body unreadable: ${err.message})`);
  return `${head}\n    ${body.length > MAX_BODY ? `${body.slice(0, MAX_BODY)}… (${body.length} chars)` : body}`;
}

function fileSafe(text: string): string {
  return text.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
}

/**
 * Starts recording `page`'s console and network log and registers, for the running test, a
 * handler that on its failure saves `artifacts/ui/failed-<test>-<n>.png` and `….log` (when the
 * page is still open) and prints their paths. Call inside a test.
 */
export function recordForFailure(page: Page, dir: string, pageNumber: number): void {
  const started = Date.now();
  const lines: Promise<string>[] = [];
  const log = (text: string | Promise<string>) => lines.push(Promise.resolve(text).then((t) => `+${Date.now() - started} ms ${t}`));
  page.on('console', (m) => log(`console.${m.type()}: ${m.text()} (${m.location().url})`));
  page.on('pageerror', (e) => log(`page error: ${e.stack ?? e.message}`));
  page.on('requestfailed', (r) => log(`${r.method()} ${r.url()} failed: ${r.failure()?.errorText ?? 'unknown'}`));
  // Caught here: a request that finishes as the page closes has no readable answer any more, and
  // an uncaught rejection would fail the whole test run.
  page.on('requestfinished', (r) =>
    log(
      r
        .response()
        .then((res) => (res === null ? `${r.method()} ${r.url()} → no answer` : describeAnswer(r, res)))
        .catch((err: Error) => `${r.method()} ${r.url()} → answer unreadable: ${err.message}`),
    ),
  );
  onTestFailed(async ({ task }) => {
    if (page.isClosed()) return;
    mkdirSync(dir, { recursive: true });
    const base = join(dir, `failed-${fileSafe(task.name)}-${pageNumber}`);
    await page.screenshot({ path: `${base}.png`, fullPage: true }).catch((err: Error) => log(`screenshot failed: ${err.message}`));
    const entries = await Promise.all(lines);
    writeFileSync(`${base}.log`, [`${task.name}`, `page ${pageNumber} at ${page.url()}`, '', ...entries, ''].join('\n'));
    console.log(`failure record: ${base}.png, ${base}.log`);
  });
}
