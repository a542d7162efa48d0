import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '@pyrometer/config';
import { repoRoot } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { composeVariables, loadCompose, type ComposeService } from './compose-file.js';
import { BuildContext } from './scratch/build-context.js';
import { parseDockerfile } from './scratch/dockerfile.js';

// There is no Docker engine where the tests run, so docker-compose.yml is validated statically:
// every file, port, service name, health check and dependency it mentions must exist and agree
// with the configs that refer to them (images.test.ts builds and runs the Dockerfile's targets).

const root = repoRoot();
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const compose = loadCompose(root);
const services = compose.services;
const replicated = loadCompose(root, { PYROMETER_PUSHGATEWAY_HOST: 'pushgateway-lb' });
const stages = parseDockerfile(read('deploy/docker/Dockerfile'), 'deploy/docker/Dockerfile');
const stageNames = new Set(stages.map((s) => s.name));
/** The Dockerfile's image targets, one per service binary (apps/alertmanager lands from its own branch). */
const IMAGE_TARGETS = ['server', 'pushgateway', 'alertmanager', 'webhook-receiver', 'flink-simulator'];
/** Ports of the images compose uses without building them, as their upstream documents them. */
const IMAGE_PORTS: Record<string, number> = { grafana: 3000, jobmanager: 8081, redis: 6379, 'pushgateway-lb': 9091 };

/** The container ports a service listens on: its listen-address flags, else its image's port. */
function listenPorts(name: string, s: ComposeService): number[] {
  const args = Array.isArray(s.command) ? s.command : [];
  const fromFlags = args.flatMap((a) => /^--(?:web\.listen-address|control\.listen-address)=.*:(\d+)$/.exec(a)?.slice(1) ?? []).map(Number);
  if (fromFlags.length > 0) return fromFlags;
  return IMAGE_PORTS[name] !== undefined ? [IMAGE_PORTS[name]] : [];
}

/** Asserts `host:port` names a compose service listening on that port. */
function expectServiceAddress(address: string, all: Record<string, ComposeService> = services): void {
  const [host, port] = address.split(':');
  const service = all[host!];
  expect(service, `service ${host}`).toBeDefined();
  expect(listenPorts(host!, service!), address).toContain(Number(port));
}

describe('docker-compose.yml', () => {
  it('gives every ${VAR} a default, so `docker compose up` needs no environment', () => {
    const variables = composeVariables(read('docker-compose.yml'));
    expect(variables.length).toBeGreaterThan(0);
    for (const v of variables) expect(v.fallback, `\${${v.name}} has a default`).toBeDefined();
  });

  it.each(Object.entries(services))('%s: image is pinned or the build target exists', (_name, s) => {
    if (s.image !== undefined) {
      expect(s.image).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(s.image).not.toMatch(/:latest$/);
    } else {
      expect(existsSync(join(root, s.build!.context, s.build!.dockerfile))).toBe(true);
      expect(stageNames.has(s.build!.target)).toBe(true);
    }
  });

  it.each(Object.entries(services))('%s: bind-mounted files exist, named volumes are declared and are VOLUMEs of its image', (_name, s) => {
    const target = stages.find((st) => st.name === s.build?.target);
    const imageVolumes = target?.steps.flatMap((step) => (step.kind === 'VOLUME' ? step.paths : [])) ?? [];
    for (const volume of s.volumes ?? []) {
      const [source, path] = volume.split(':');
      expect(path).toMatch(/^\//);
      if (source!.startsWith('./')) expect(existsSync(join(root, source!)), `${source} exists`).toBe(true);
      else if (!source!.startsWith('/')) {
        expect(compose.volumes).toHaveProperty(source!);
        if (target !== undefined) expect(imageVolumes, `${path} is a VOLUME of target ${target.name}`).toContain(path);
      }
    }
  });

  it.each(Object.entries(services))('%s: published on its upstream port unless PYROMETER_<SERVICE>_PORT moves it', (name, s) => {
    const raw = read('docker-compose.yml');
    for (const mapping of s.ports ?? []) {
      const [host, container] = mapping.split(':').map(Number);
      expect(host).toBe(container);
      expect(listenPorts(name, s)).toContain(container);
      expect(raw).toMatch(new RegExp(`"\\$\\{PYROMETER_[A-Z_]+_PORT:-${container}\\}:${container}"`));
    }
  });

  it('publishes each host port once', () => {
    const hostPorts = Object.values(services).flatMap((s) => (s.ports ?? []).map((p) => p.split(':')[0]));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it.each(Object.entries(services))('%s: has a health check; waits for its dependencies to be healthy', (name, s) => {
    expect(s.healthcheck?.test[0], `${name} has a healthcheck`).toBe('CMD');
    const ports = listenPorts(name, s);
    const url = s.healthcheck!.test.find((a) => a.startsWith('http://127.0.0.1:'));
    if (url !== undefined) expect(ports).toContain(Number(new URL(url).port));
    if (s.build !== undefined) expect(s.healthcheck!.test[1]).toBe('healthcheck');
    for (const [dep, condition] of Object.entries(s.depends_on ?? {})) {
      expect(services[dep], `dependency ${dep}`).toBeDefined();
      expect(condition.condition).toBe('service_healthy');
      expect(services[dep]!.healthcheck).toBeDefined();
      // A dependency only some profiles start must be optional, or Compose refuses the others.
      const depProfiles = services[dep]!.profiles ?? [];
      const covered = depProfiles.length === 0 || (s.profiles ?? []).some((p) => depProfiles.includes(p));
      if (!covered) expect(condition.required, `${name} → ${dep} is required: false`).toBe(false);
    }
  });

  it('scrape targets and Alertmanagers in deploy/prometheus.yml are compose services on the ports they listen on', () => {
    const config = parseConfig(read('deploy/prometheus.yml'), 'deploy/prometheus.yml');
    const targets = config.scrapeConfigs.flatMap((c) => c.staticConfigs.flatMap((g) => g.targets.map((t) => t['__address__']!)));
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expectServiceAddress(target);
    expect(config.scrapeConfigs.find((c) => c.jobName === 'pushgateway')?.honorLabels).toBe(true);
    expect(read('deploy/prometheus.yml')).toMatch(/alertmanagers:\n\s+- static_configs:\n\s+- targets: \['alertmanager:9093'\]/);
    expectServiceAddress('alertmanager:9093');
  });

  it.each([
    ['pushgateway', services],
    ['pushgateway-lb', replicated.services],
  ] as const)('PYROMETER_PUSHGATEWAY_HOST=%s: Flink, the simulator and the server all use that Pushgateway', (host, all) => {
    const server = all['server']!;
    expect(server.volumes).toContain(`./deploy/targets/${host}.yml:/etc/pyrometer/targets/pushgateway.yml:ro`);
    expect(read('deploy/prometheus.yml')).toContain('files: [/etc/pyrometer/targets/pushgateway.yml]');
    const groups = parseYaml(read(`deploy/targets/${host}.yml`)) as { targets: string[] }[];
    expect(groups.flatMap((g) => g.targets)).toEqual([`${host}:9091`]);
    expectServiceAddress(`${host}:9091`, all);
    for (const name of ['jobmanager', 'taskmanager', 'flink-job']) {
      const properties = parseYaml(all[name]!.environment!['FLINK_PROPERTIES']!) as Record<string, unknown>;
      expect(properties['metrics.reporter.promgateway.hostUrl'], name).toBe(`http://${host}:9091`);
    }
    expect(all['flink-simulator']!.command).toContain(`--hostUrl=http://${host}:9091`);
  });

  it('replicated profile: the load balancer spreads over the Redis-backed replicas', () => {
    for (const name of ['redis', 'pushgateway-replica', 'pushgateway-lb']) expect(services[name]!.profiles).toEqual(['replicated']);
    expect(services['pushgateway-replica']!.command).toContain('--store.redis-url=redis://redis:6379');
    const lb = services['pushgateway-lb']!;
    expect(lb.volumes).toContain('./deploy/docker/pushgateway-lb.conf:/etc/nginx/conf.d/default.conf:ro');
    const nginx = read('deploy/docker/pushgateway-lb.conf');
    expect(nginx).toMatch(/listen 9091;/);
    const upstreams = [...nginx.matchAll(/^\s*server ([\w-]+:\d+) resolve;/gm)].map((m) => m[1]!);
    expect(upstreams).toEqual(['pushgateway-replica:9091']);
    for (const upstream of upstreams) expectServiceAddress(upstream);
  });

  it("mounts the server's config, rules and targets where its command reads them", () => {
    const server = services['server']!;
    expect(server.command).toContain('--config.file=/etc/pyrometer/prometheus.yml');
    expect(server.volumes).toContain('./deploy/prometheus.yml:/etc/pyrometer/prometheus.yml:ro');
    expect(read('deploy/prometheus.yml')).toContain('/etc/pyrometer/rules/*.rules.yml');
    expect(server.volumes).toContain('./deploy/rules:/etc/pyrometer/rules:ro');
  });

  it("points the Alertmanager's webhook receivers at a compose service on the port it listens on", () => {
    const urls = [...read('deploy/alertmanager.yml').matchAll(/^\s+- url: (\S+)$/gm)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expectServiceAddress(new URL(url).host);
  });

  it("mounts the Alertmanager's config where its command reads it, with its storage on a volume", () => {
    const alertmanager = services['alertmanager']!;
    expect(alertmanager.command).toEqual(expect.arrayContaining(['--config.file=/etc/pyrometer/alertmanager.yml', '--storage.path=/var/lib/alertmanager']));
    expect(alertmanager.volumes).toEqual(['./deploy/alertmanager.yml:/etc/pyrometer/alertmanager.yml:ro', 'alertmanager-data:/var/lib/alertmanager']);
  });

  it("points Grafana's data sources at the server and the Alertmanager; admin password from the environment", () => {
    const ds = parseYaml(read('deploy/grafana/provisioning/datasources/pyrometer.yml')) as { datasources: { type: string; url: string; uid: string; jsonData: Record<string, unknown> }[] };
    expect(ds.datasources.map((d) => [d.type, d.uid])).toEqual([
      ['prometheus', 'pyrometer'],
      ['alertmanager', 'alertmanager'],
    ]);
    for (const d of ds.datasources) expectServiceAddress(new URL(d.url).host);
    expect(ds.datasources[1]!.jsonData['implementation']).toBe('prometheus');
    const provider = parseYaml(read('deploy/grafana/provisioning/dashboards/pyrometer.yml')) as { providers: { options: { path: string } }[] };
    expect(services['grafana']!.volumes).toContain(`./deploy/grafana/dashboards:${provider.providers[0]!.options.path}:ro`);
    expect(read('docker-compose.yml')).toContain('GF_SECURITY_ADMIN_PASSWORD: ${GRAFANA_ADMIN_PASSWORD:-admin}');
  });

  it('gives Flink the reporter settings of deploy/flink/flink-conf.yaml, aimed at the Pushgateway service', () => {
    const conf = parseYaml(read('deploy/flink/flink-conf.yaml')) as Record<string, string | boolean>;
    for (const name of ['jobmanager', 'taskmanager', 'flink-job']) {
      const properties = parseYaml(services[name]!.environment!['FLINK_PROPERTIES']!) as Record<string, unknown>;
      for (const [key, value] of Object.entries(conf)) expect(properties[key], `${name}: ${key}`).toEqual(value);
    }
    expectServiceAddress(new URL(String(conf['metrics.reporter.promgateway.hostUrl'])).host);
    expect(services['flink-simulator']!.volumes).toContain('./deploy/flink/flink-conf.yaml:/etc/flink/flink-conf.yaml:ro');
  });
});

describe('Dockerfile', () => {
  it('copies only files of the build context that exist and are not excluded by .dockerignore', () => {
    const context = new BuildContext(root);
    for (const stage of stages) {
      for (const step of stage.steps) {
        if (step.kind !== 'COPY' || step.from !== undefined) continue;
        for (const source of step.sources) {
          if (source === '.') continue;
          expect(existsSync(join(root, source)), source).toBe(true);
          expect(context.includes(source), `${source} is not excluded`).toBe(true);
        }
      }
    }
    expect(context.includes('node_modules/vitest/package.json')).toBe(false);
    expect(context.includes('apps/server/dist/main.js')).toBe(false);
  });

  it('has a target per app, each running the app it copies as node with a health check', () => {
    for (const app of IMAGE_TARGETS) {
      if (app !== 'alertmanager') expect(existsSync(join(root, 'apps', app, 'src/main.ts')), `apps/${app}`).toBe(true);
      const target = stages.find((s) => s.name === app);
      expect(target, `target ${app}`).toBeDefined();
      const kinds = target!.steps.map((s) => s.kind);
      expect(target!.steps).toContainEqual(expect.objectContaining({ kind: 'COPY', from: 'build', sources: [`/out/${app}`], dest: '/app' }));
      expect(target!.steps).toContainEqual(expect.objectContaining({ kind: 'USER', user: 'node' }));
      expect(target!.steps).toContainEqual(expect.objectContaining({ kind: 'ENTRYPOINT', argv: ['node', 'dist/main.js'] }));
      expect(kinds).toContain('HEALTHCHECK');
      expect(kinds).toContain('EXPOSE');
    }
  });

  it('deploy/README.md shows a `docker run` line per image, with its exposed port and its volume', () => {
    const lines = read('deploy/README.md').split('\n').filter((l) => l.startsWith('docker run '));
    const imageOf = (line: string) => / pyrometer\/([\w-]+)(?= |$)/.exec(line)![1]!;
    const images = lines.map(imageOf);
    expect(images.sort()).toEqual([...IMAGE_TARGETS].sort());
    for (const line of lines) {
      const stage = stages.find((s) => s.name === imageOf(line))!;
      const exposed = stage.steps.flatMap((st) => (st.kind === 'EXPOSE' ? st.ports : []));
      const volumes = stage.steps.flatMap((st) => (st.kind === 'VOLUME' ? st.paths : []));
      const published = [...line.matchAll(/-p (\d+):(\d+)/g)].map((m) => Number(m[2]));
      expect(published, line).toEqual(exposed);
      const named = [...line.matchAll(/-v ([\w-]+):(\/[\w/]+)/g)].map((m) => m[2]);
      expect(named, line).toEqual(volumes);
    }
  });
});
