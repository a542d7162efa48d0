import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '@pyrometer/config';
import { repoRoot } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

// There is no Docker engine where the tests run, so docker-compose.yml and the Dockerfile are
// validated statically: every file, port, service name and config path they mention must exist
// and agree with the configs that refer to them.

const root = repoRoot();
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  command?: string[] | string;
  ports?: string[];
  volumes?: string[];
  depends_on?: string[];
  profiles?: string[];
  environment?: Record<string, string>;
}
const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const dockerfile = read('deploy/docker/Dockerfile');
const stages = new Set([...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]!));

/** The container port a service listens on: its --web.listen-address / control address, else the image's documented default. */
function listenPorts(name: string, s: Service): number[] {
  const args = Array.isArray(s.command) ? s.command : [];
  const fromFlags = args.flatMap((a) => /^--(?:web\.listen-address|control\.listen-address)=.*:(\d+)$/.exec(a)?.slice(1) ?? []).map(Number);
  if (fromFlags.length > 0) return fromFlags;
  const defaults: Record<string, number[]> = { grafana: [3000], jobmanager: [8081], redis: [6379] };
  return defaults[name] ?? [];
}

describe('docker-compose.yml', () => {
  it.each(Object.entries(services))('%s: image is pinned or the build target exists', (_name, s) => {
    if (s.image !== undefined) {
      expect(s.image).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(s.image).not.toMatch(/:latest$/);
    } else {
      expect(s.build).toBeDefined();
      expect(existsSync(join(root, s.build!.context, s.build!.dockerfile))).toBe(true);
      expect(stages.has(s.build!.target)).toBe(true);
    }
  });

  it.each(Object.entries(services))('%s: bind-mounted files exist, named volumes are declared', (_name, s) => {
    for (const volume of s.volumes ?? []) {
      const [source, target] = volume.split(':');
      if (source!.startsWith('./')) expect(existsSync(join(root, source!)), `${source} exists`).toBe(true);
      else if (!source!.startsWith('/')) expect(compose.volumes).toHaveProperty(source!);
      expect(target).toMatch(/^\//);
    }
  });

  it.each(Object.entries(services))('%s: published ports are ports the service listens on; dependencies exist', (name, s) => {
    for (const mapping of s.ports ?? []) {
      const [host, container] = mapping.split(':').map(Number);
      expect(host).toBe(container);
      expect(listenPorts(name, s)).toContain(container);
    }
    for (const dep of s.depends_on ?? []) expect(services).toHaveProperty(dep);
  });

  it('scrape targets in deploy/prometheus.yml are compose services on the ports they listen on', () => {
    const config = parseConfig(read('deploy/prometheus.yml'), 'deploy/prometheus.yml');
    const targets = config.scrapeConfigs.flatMap((c) => c.staticConfigs.flatMap((g) => g.targets.map((t) => t['__address__']!)));
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      const [host, port] = target.split(':');
      const svc = services[host!];
      expect(svc, `service ${host}`).toBeDefined();
      expect(listenPorts(host!, svc!)).toContain(Number(port));
    }
    expect(config.scrapeConfigs.find((c) => c.jobName === 'pushgateway')?.honorLabels).toBe(true);
  });

  it("mounts the server's config and rules where its command reads them", () => {
    const server = services['server']!;
    expect(server.command).toContain('--config.file=/etc/pyrometer/prometheus.yml');
    expect(server.volumes).toContain('./deploy/prometheus.yml:/etc/pyrometer/prometheus.yml:ro');
    expect(read('deploy/prometheus.yml')).toContain('/etc/pyrometer/rules/*.rules.yml');
    expect(server.volumes).toContain('./deploy/rules:/etc/pyrometer/rules:ro');
  });

  it("points Grafana's data source at the server service", () => {
    const ds = parseYaml(read('deploy/grafana/provisioning/datasources/pyrometer.yml')) as { datasources: { url: string; uid: string }[] };
    const url = new URL(ds.datasources[0]!.url);
    expect(listenPorts(url.hostname, services[url.hostname]!)).toContain(Number(url.port));
    const provider = parseYaml(read('deploy/grafana/provisioning/dashboards/pyrometer.yml')) as { providers: { options: { path: string } }[] };
    expect(services['grafana']!.volumes).toContain(`./deploy/grafana/dashboards:${provider.providers[0]!.options.path}:ro`);
  });

  it("gives Flink the reporter settings of deploy/flink/flink-conf.yaml, aimed at the Pushgateway service", () => {
    const conf = parseYaml(read('deploy/flink/flink-conf.yaml')) as Record<string, string | boolean>;
    for (const name of ['jobmanager', 'taskmanager', 'flink-job']) {
      const properties = parseYaml(services[name]!.environment!['FLINK_PROPERTIES']!) as Record<string, unknown>;
      for (const [key, value] of Object.entries(conf)) expect(properties[key], `${name}: ${key}`).toEqual(value);
    }
    const hostUrl = new URL(String(conf['metrics.reporter.promgateway.hostUrl']));
    expect(listenPorts(hostUrl.hostname, services[hostUrl.hostname]!)).toContain(Number(hostUrl.port));
    expect(services['flink-simulator']!.volumes).toContain('./deploy/flink/flink-conf.yaml:/etc/flink/flink-conf.yaml:ro');
  });
});

describe('Dockerfile', () => {
  it('copies only files that exist and prunes to workspace packages that exist', () => {
    for (const m of dockerfile.matchAll(/^COPY (?!--from)(\S+) /gm)) if (m[1] !== '.') expect(existsSync(join(root, m[1]!)), m[1]).toBe(true);
    const pruned = /turbo@[\d.]+ prune (.+) --docker/.exec(dockerfile)![1]!.split(' ');
    const names = ['apps/server', 'apps/pushgateway', 'apps/flink-simulator'].map((d) => (JSON.parse(read(`${d}/package.json`)) as { name: string }).name);
    expect(pruned.sort()).toEqual(names.sort());
  });

  it('starts each target from a built app entry point', () => {
    for (const m of dockerfile.matchAll(/ENTRYPOINT \["node", "(apps\/[\w-]+)\/dist\/main\.js"\]/g)) {
      expect(existsSync(join(root, m[1]!, 'src/main.ts')), m[1]).toBe(true);
      expect((JSON.parse(read(`${m[1]}/package.json`)) as { scripts: Record<string, string> }).scripts['build']).toBeDefined();
    }
    expect(stages).toEqual(new Set(['base', 'pruned', 'build', 'runtime', 'server', 'pushgateway', 'flink-simulator']));
  });
});
