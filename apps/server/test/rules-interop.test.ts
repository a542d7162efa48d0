import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, peer, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { api, eventually, startServer, startTarget } from './harness.js';

const prometheus = peer('prometheus', 'prometheus');

type Alert = { labels: Record<string, string>; annotations: Record<string, string>; state: string; activeAt: string };
type Vector = { data: { result: { metric: Record<string, string> }[] } };
type Matrix = { data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };

const RULES = `groups:
  - name: flink
    rules:
      - record: job:app_errors:sum
        expr: sum by (job) (app_errors)
      - alert: ErrorsOnPath
        expr: app_errors > 1
        labels: {severity: page}
        annotations: {summary: 'errors on {{ $labels.path }}: {{ $value | humanize }}', link: '{{ $externalURL }}'}
      - alert: ErrorsSustained
        expr: job:app_errors:sum > 1
        for: 4s
        labels: {severity: ticket}
  - name: quiet
    interval: 2s
    rules:
      - alert: NeverFires
        expr: app_errors > 100
`;

/** Alerts as comparable data: labels, annotations and state, sorted. */
const comparable = (alerts: Alert[]) => alerts.map((a) => JSON.stringify([a.labels, a.annotations, a.state])).sort();

describe.skipIf(prometheus.path === undefined)(`the same rule file in Debian's Prometheus and in ours (${prometheus.missingReason ?? 'available'})`, () => {
  it('yields the same firing alerts and ALERTS series, evaluated at the same instants', async () => {
    const dir = tempDir();
    const target = await startTarget(() => 'app_errors{path="/a"} 2\napp_errors{path="/b"} 0\n');
    mkdirSync(join(dir, 'rules'));
    const ruleFile = join(dir, 'rules', 'flink.yml');
    writeFileSync(ruleFile, RULES);
    // Both read the rule file by the same absolute path: group slots hash the file name.
    const config = `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - ${ruleFile}\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['${target.address}']\n`;
    const theirConfig = join(dir, 'upstream.yml');
    writeFileSync(theirConfig, config);
    const promPort = await freePort();
    const upstream = await startProcess(prometheus.path!, [`--config.file=${theirConfig}`, `--storage.tsdb.path=${join(dir, 'upstream-data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--web.external-url=http://prometheus.example:9090'], { readyUrl: `http://127.0.0.1:${promPort}/-/ready` });
    const ours = await startServer(dir, config, ['--web.external-url=http://prometheus.example:9090']);
    const theirBase = `http://127.0.0.1:${promPort}`;
    const ourBase = `http://127.0.0.1:${ours.port}`;
    try {
      const settled = async (base: string) => {
        const alerts = (await api<{ data: { alerts: Alert[] } }>(base, '/api/v1/alerts')).data.alerts;
        return alerts.filter((a) => a.state === 'firing').length === 2 ? alerts : undefined;
      };
      const theirs = await eventually(() => settled(theirBase), 30_000, 'upstream alerts to fire');
      const mine = await eventually(() => settled(ourBase), 30_000, 'our alerts to fire');
      expect(comparable(mine)).toEqual(comparable(theirs));
      // The same slot of the second: activeAt is an evaluation time (upstream's has nanoseconds, ours milliseconds).
      const slot = (alerts: Alert[]) => [...new Set(alerts.map((a) => Date.parse(a.activeAt) % 1000))];
      expect(slot(mine)).toEqual(slot(theirs));
      expect(slot(mine)).toHaveLength(1);

      const series = async (base: string) => (await api<Vector>(base, '/api/v1/query?query=ALERTS')).data.result.map((s) => JSON.stringify(s.metric)).sort();
      await eventually(async () => ((await series(ourBase)).length === 2 ? true : undefined), 20_000, 'our ALERTS series');
      await eventually(async () => ((await series(theirBase)).length === 2 ? true : undefined), 20_000, 'upstream ALERTS series');
      expect(await series(ourBase)).toEqual(await series(theirBase));

      // Recorded samples sit at the same instants in both (same group slot).
      const end = Date.now() / 1000 - 2;
      const range = `/api/v1/query?query=${encodeURIComponent('job:app_errors:sum[6s]')}&time=${end}`;
      const stamps = async (base: string) => [...new Set((await api<Matrix>(base, range)).data.result[0]!.values.map(([t, v]) => `${Math.round(t * 1000) % 1000}: ${v}`))];
      expect(await stamps(ourBase)).toEqual(await stamps(theirBase));

      const groups = async (base: string) => (await api<{ data: { groups: { name: string; file: string; interval: number; rules: { name: string; type: string; health: string; state?: string }[] }[] } }>(base, '/api/v1/rules')).data.groups.map((g) => ({ ...g, rules: g.rules.map((r) => [r.name, r.type, r.health, r.state]) }));
      expect((await groups(ourBase)).map(({ name, file, interval, rules }) => ({ name, file, interval, rules }))).toEqual((await groups(theirBase)).map(({ name, file, interval, rules }) => ({ name, file, interval, rules })));
    } finally {
      await ours.stop();
      await upstream.stop();
      target.server.close();
    }
  }, 90_000);
});
