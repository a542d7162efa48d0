import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@pyrometer/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Harness } from '../internal/test-harness.js';
import { startServer } from '../internal/test-support.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function harness(yaml: string): Promise<Harness> {
  const h = new Harness();
  cleanup.push(() => h.stop());
  await h.apply(yaml);
  return h;
}

const addresses = (h: Harness, job = 'sd') => (h.manager.activeTargets().get(job) ?? []).map((t) => t.labels.get('__address__')).sort();

/** Writes a file atomically (write + rename), as config management tools do. */
function writeAtomic(path: string, text: string): void {
  writeFileSync(path + '.tmp', text);
  renameSync(path + '.tmp', path);
}

describe('file_sd_configs', () => {
  it('reads JSON and YAML files, adds __meta_filepath, and follows changes without waiting for the refresh interval', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), JSON.stringify([{ targets: ['h1:9100'], labels: { env: 'prod' } }]));
    writeFileSync(join(dir, 'b.yml'), '- targets: [h2:9100]\n');
    const h = await harness(`scrape_configs:\n  - job_name: sd\n    file_sd_configs:\n      - files: ['${dir}/*.json', '${dir}/*.yml']\n`);
    expect(addresses(h)).toEqual(['h1:9100', 'h2:9100']);
    const h1 = h.manager.activeTargets().get('sd')!.find((t) => t.labels.get('__address__') === 'h1:9100')!;
    expect(h1.discoveredLabels.get('__meta_filepath')).toBe(join(dir, 'a.json'));
    expect(h1.seriesLabels.toString()).toBe('{env="prod", instance="h1:9100", job="sd"}');

    writeAtomic(join(dir, 'a.json'), JSON.stringify([{ targets: ['h3:9100'] }]));
    await vi.waitFor(() => expect(addresses(h)).toEqual(['h2:9100', 'h3:9100']), { timeout: 5_000, interval: 20 });
  });

  it('keeps the last good targets when a file becomes invalid, and counts the failure', async () => {
    const dir = tempDir();
    const file = join(dir, 't.json');
    writeFileSync(file, JSON.stringify([{ targets: ['h1:9100'] }]));
    const h = await harness(`scrape_configs:\n  - job_name: sd\n    file_sd_configs:\n      - files: ['${file}']\n        refresh_interval: 1m\n`);
    writeAtomic(file, '[{"targets": ["http://bad/"]}]');
    const failures = () => h.registry.collect().find((f) => f.name === 'prometheus_sd_failures_total')?.metrics[0]?.value ?? 0;
    await vi.waitFor(() => expect(failures()).toBeGreaterThan(0), { timeout: 5_000, interval: 20 });
    expect(addresses(h)).toEqual(['h1:9100']);
  });

  it('re-reads on refresh_interval', async () => {
    const dir = tempDir();
    const file = join(dir, 't.yaml');
    writeFileSync(file, '- targets: [h1:1]\n');
    const h = await harness(`scrape_configs:\n  - job_name: sd\n    file_sd_configs:\n      - files: ['${file}']\n        refresh_interval: 30s\n`);
    expect(addresses(h)).toEqual(['h1:1']);
    writeFileSync(file, '- targets: [h2:1]\n');
    await h.advance(30_000);
    await vi.waitFor(() => expect(addresses(h)).toEqual(['h2:1']), { timeout: 5_000, interval: 20 });
  });
});

describe('http_sd_configs', () => {
  it('fetches target groups, adds __meta_url, refreshes, and keeps the last good state on errors', async () => {
    let body = JSON.stringify([{ targets: ['h1:9100'], labels: { __meta_x: 'y', team: 'a' } }]);
    let status = 200;
    const server = await startServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
    cleanup.push(() => server.close());
    const url = `${server.url}/sd`;
    const h = await harness(`scrape_configs:\n  - job_name: sd\n    http_sd_configs:\n      - url: ${url}\n        refresh_interval: 30s\n`);
    expect(addresses(h)).toEqual(['h1:9100']);
    const t = h.manager.activeTargets().get('sd')![0]!;
    expect(t.discoveredLabels.get('__meta_url')).toBe(url);
    expect(t.seriesLabels.toString()).toBe('{instance="h1:9100", job="sd", team="a"}');
    expect(server.requests[0]!.headers['x-prometheus-refresh-interval-seconds']).toBe('30');

    body = JSON.stringify([{ targets: ['h2:9100'] }]);
    await h.advance(30_000);
    expect(addresses(h)).toEqual(['h2:9100']);

    status = 500;
    await h.advance(30_000);
    expect(addresses(h)).toEqual(['h2:9100']);
  });
});
