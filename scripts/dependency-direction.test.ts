import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// ARCHITECTURE.md's dependency direction, extended with the packages this repository added (each
// README says why): codec is a leaf like model; telemetry, cli and http-api sit just above it;
// http-client (the HTTP client config's client) sits on config; the notifier also takes telemetry
// (its metrics) and http-client (TLS, auth), and so does remote (remote_read's client).
// alertmanager also reads config's YAML walker and prometheus/common HTTP client section (as
// upstream's Alertmanager uses prometheus/common's config package), http-client for its
// integrations, and codec's protobuf primitives for upstream's silence and notification log files.
const ALLOWED: Record<string, string[]> = {
  model: [],
  codec: [],
  exposition: ['model', 'codec'],
  config: ['model'],
  storage: ['model'],
  telemetry: ['model', 'exposition'],
  cli: ['model'],
  'http-api': ['model'],
  'http-client': ['config'],
  'http-server': ['codec', 'telemetry'],
  tsdb: ['model', 'storage', 'telemetry', 'codec'],
  promql: ['model', 'storage'],
  scrape: ['model', 'exposition', 'storage', 'config', 'telemetry', 'http-client'],
  notifier: ['model', 'http-api', 'telemetry', 'http-client'],
  pushgateway: ['model', 'exposition', 'telemetry', 'codec', 'http-server'],
  remote: ['model', 'storage', 'codec', 'telemetry', 'config', 'http-client'],
  rules: ['model', 'storage', 'promql', 'template', 'telemetry', 'config'],
  template: ['model'],
  alertmanager: ['model', 'codec', 'http-api', 'template', 'telemetry', 'config', 'http-client'],
  'web-config': [],
  testkit: [],
};

const root = join(import.meta.dirname, '..');
const workspaceDeps = (dir: string): string[] => {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@pyrometer/')).map((d) => d.slice('@pyrometer/'.length));
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('dependency direction (ARCHITECTURE.md)', () => {
  const packages = readdirSync(join(root, 'packages'));

  it('knows every package', () => {
    expect(packages.filter((p) => !(p in ALLOWED))).toEqual([]);
  });

  it.each(packages.filter((p) => p in ALLOWED))('packages/%s depends only on what it may', (name) => {
    expect(workspaceDeps(`packages/${name}`).filter((d) => !ALLOWED[name]!.includes(d))).toEqual([]);
  });

  it('only apps/server brings the TSDB and PromQL together', () => {
    const offenders = [...packages.map((p) => `packages/${p}`), ...readdirSync(join(root, 'apps')).map((a) => `apps/${a}`)]
      .filter((dir) => dir !== 'apps/server')
      .filter((dir) => {
        const deps = workspaceDeps(dir);
        return deps.includes('tsdb') && deps.includes('promql');
      });
    expect(offenders).toEqual([]);
  });

  it('the PromQL parser imports nothing but @pyrometer/model and itself, and nothing Node-only', () => {
    const bad = sourceFiles(join(root, 'packages/promql/src/parser')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!).filter((spec) => !spec.startsWith('.') && spec !== '@pyrometer/model').map((spec) => `${file}: ${spec}`),
    );
    expect(bad).toEqual([]);
  });

  it('packages/model has no Node-only imports', () => {
    const bad = sourceFiles(join(root, 'packages/model/src')).filter((file) => /from 'node:/.test(readFileSync(file, 'utf8')));
    expect(bad).toEqual([]);
  });

  it('packages/template has no Node-only imports outside its node/ entry point', () => {
    const bad = sourceFiles(join(root, 'packages/template/src'))
      .filter((file) => !file.includes('/src/node/'))
      .filter((file) => /from 'node:/.test(readFileSync(file, 'utf8')));
    expect(bad).toEqual([]);
  });
});
