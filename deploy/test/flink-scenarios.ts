import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseConfig } from '@pyrometer/config';
import { parseFamilies, writeText } from '@pyrometer/exposition';
import { defaultSimulatorOptions, FlinkSimulator, groupingPath, writeText004, type Scenario } from '@pyrometer/flink-simulator';
import { ManualClock } from '@pyrometer/model';
import { Engine } from '@pyrometer/promql';
import { MemoryStore, parseGroupingPath } from '@pyrometer/pushgateway';
import { engineQueryFunc, RuleManager } from '@pyrometer/rules';
import { ScrapeManager } from '@pyrometer/scrape';
import { MemoryStorage } from '@pyrometer/storage';
import { repoRoot } from '@pyrometer/testkit';

/** The reporter interval, scrape interval and rule evaluation interval of deploy/prometheus.yml. */
const INTERVAL_MS = 10_000;

/** When an alert first fired, in ms after the scenario began. */
export type FirstFiring = ReadonlyMap<string, number>;

/**
 * Plays a simulated Flink cluster through the stack's parts on one manual clock and returns the
 * alerts of deploy/rules that fired after `scenario` began, with when each first fired: every
 * interval each live process's report (text 0.0.4, as Flink's reporter writes it) is PUT into a
 * Pushgateway store (which adds push_time_seconds and keeps the groups of processes that died),
 * the scrape manager scrapes that Pushgateway's /metrics with honor_labels into storage, and the
 * rule manager evaluates every rule file of deploy/rules on its own schedule. The cluster runs
 * `warmupMs` in the steady state first; alerts that fire then count too (under their negative time).
 */
export async function playScenario(scenario: Scenario, options: { warmupMs: number; durationMs: number }): Promise<FirstFiring> {
  const start = 1_750_000_000_000;
  const clock = new ManualClock(start);
  const store = await MemoryStore.open();
  const gateway = await serveMetrics(async () => writeText(await store.gather()));
  const storage = new MemoryStorage();
  const scrape = new ScrapeManager(storage, { clock });
  const firing = new Map<string, number>();
  const switchAt = start + options.warmupMs;
  const rules = new RuleManager({
    query: engineQueryFunc(new Engine(), storage),
    appendable: storage,
    queryable: storage,
    clock,
    notify: (_expr, alerts) => {
      for (const a of alerts) if (a.state === 'firing' && !firing.has(a.labels.get('alertname'))) firing.set(a.labels.get('alertname'), clock.now() - switchAt);
    },
  });
  try {
    await scrape.applyConfig(parseConfig(`scrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n    scrape_interval: ${INTERVAL_MS / 1000}s\n    static_configs:\n      - targets: ['${gateway.address}']\n`, 'scenario.yml'));
    const ruleDir = join(repoRoot(), 'deploy', 'rules');
    const files = readdirSync(ruleDir).filter((f) => f.endsWith('.rules.yml')).map((f) => join(ruleDir, f));
    await rules.update({ files, interval: INTERVAL_MS, externalLabels: {}, externalURL: 'http://localhost:9090' });
    rules.start();

    const simulator = new FlinkSimulator({ ...defaultSimulatorOptions(), scenario: 'steady', tickMs: INTERVAL_MS }, start);
    // Flink's reporter pushes under its jobName plus 32 random hex digits, with deploy/flink's grouping key.
    const groups = simulator.processes().map((_, i) => parseGroupingPath(groupingPath(`flink${i.toString(16).padStart(32, '0')}`, [['cluster', 'demo']])));
    let nextReport = start + INTERVAL_MS;
    const end = switchAt + options.durationMs;
    while (clock.now() < end) {
      const due = Math.min(clock.nextDue() ?? Infinity, nextReport);
      clock.advance(due - clock.now());
      if (due === nextReport) {
        if (due >= switchAt && simulator.currentScenario !== scenario) simulator.setScenario(scenario);
        simulator.tick(due);
        const processes = simulator.processes();
        for (const [i, process] of processes.entries()) {
          if (!process.alive) continue;
          const families = parseFamilies(writeText004(process.families(due), true), 'text/plain; version=0.0.4; charset=utf-8');
          const result = await store.write({ op: 'put', labels: groups[i]!, families, timeMs: due, check: true });
          if (result.error !== undefined) throw new Error(`the Pushgateway rejected ${process.name}'s push: ${result.error}`);
        }
        nextReport += INTERVAL_MS;
      }
      await scrape.idle();
      await rules.idle();
    }
    return firing;
  } finally {
    await rules.stop();
    await scrape.stop();
    await store.close();
    await new Promise((resolve) => gateway.server.close(resolve));
  }
}

/** A /metrics endpoint on 127.0.0.1 serving `body()` in text format 0.0.4 (the Pushgateway's scrape answer). */
async function serveMetrics(body: () => Promise<string>): Promise<{ server: Server; address: string }> {
  const server = createServer((_req, res) => {
    body().then(
      (text) => res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}
