// Rule evaluation benchmark (issue 11): 200 recording and 100 alerting rules over ~51k Flink series
// at a 15 s interval, in our server (the built binary) and in Debian's Prometheus 2.42, each
// scraping the same simulated Flink cluster. Each server runs twice, without and with the rules;
// CPU per evaluation round is the difference of the two runs' CPU over the same window divided by
// the rounds in it, and the delay rules add to scrapes is how late scrapes started compared with
// their own schedule while the rules ran (as a share of the scrape interval), read from the
// timestamps of each server's own `up` samples (a scrape on time is stamped with its slot).
// The window starts two minutes after the first round: until then ours still compiles the rule
// path (V8's optimizing compiler on its helper threads, see the server README, rules, sixth pass);
// that warm-up's CPU per round is reported apart, never folded into the figure.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, processCpuSeconds, repoRoot, reportBench, tsdbMetricsProgress } from '@pyrometer/testkit/bench';
import { flinkRuleFile, serveFlinkTargets } from './workload.js';

const INTERVAL_S = 15;
const WINDOW_S = Number(process.env['PYROMETER_BENCH_RULES_WINDOW_S'] ?? 120);
const WARMUP_S = Number(process.env['PYROMETER_BENCH_RULES_WARMUP_S'] ?? 120);

const dir = mkdtempSync(join(tmpdir(), 'rules-bench-'));
const targets = await serveFlinkTargets(INTERVAL_S * 1000);
const ruleFile = join(dir, 'flink-rules.yml');
writeFileSync(ruleFile, flinkRuleFile(targets.jobNames, `${INTERVAL_S}s`));
const config = (withRules: boolean) => {
  const file = join(dir, withRules ? 'with-rules.yml' : 'without-rules.yml');
  const rules = withRules ? `rule_files:\n  - ${ruleFile}\n` : '';
  writeFileSync(file, `global:\n  scrape_interval: ${INTERVAL_S}s\n  scrape_timeout: 10s\n  evaluation_interval: ${INTERVAL_S}s\n${rules}scrape_configs:\n  - job_name: flink\n    honor_labels: true\n    static_configs:\n      - targets: [${targets.addresses.map((a) => `'${a}'`).join(', ')}]\n`);
  return file;
};

interface Run {
  cpuSeconds: number;
  /** CPU over the warm-up before the window (from readiness: every series scraped and, with rules, every group run once), seconds. */
  warmUpCpuSeconds: number;
  /** Latest scrape behind its schedule, as a fraction of the interval. */
  maxScrapeLateness: number;
  /** Mean wall time of one round of every group, from the servers' own rule-group metric. */
  roundSeconds: number;
}

/** Starts a server, waits for all series (and every rule group's first round), then measures one window. */
async function run(name: string, command: string, args: string[], port: number, withRules: boolean): Promise<Run> {
  const child = spawn(command, args, { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  try {
    const progress = tsdbMetricsProgress(`${base}/metrics`);
    const deadline = Date.now() + 120_000;
    const ready = async () => (await progress().catch(() => ({ series: 0 }))).series >= targets.series && (!withRules || (await groupsEvaluated(base)));
    while (!(await ready())) {
      if (Date.now() > deadline) throw new Error(`${name}: not ready within 2 minutes`);
      await sleep(1);
    }
    const warm0 = processCpuSeconds(child.pid!);
    await sleep(WARMUP_S);
    // The main thread (its id is the process's) apart: ours runs ingestion there, rules and queries in workers.
    const cpu0 = processCpuSeconds(child.pid!);
    const warmUpCpuSeconds = cpu0 - warm0;
    const main0 = processCpuSeconds(child.pid!, child.pid!);
    await sleep(WINDOW_S);
    const cpuSeconds = processCpuSeconds(child.pid!) - cpu0;
    const mainSeconds = processCpuSeconds(child.pid!, child.pid!) - main0;
    const maxScrapeLateness = (await scrapeLateness(base)) / (INTERVAL_S * 1000);
    const roundSeconds = withRules ? await groupDurations(base) : 0;
    console.log(`${name}${withRules ? ' with rules' : ''}: ${cpuSeconds.toFixed(2)} CPU-s in ${WINDOW_S}s (main thread ${mainSeconds.toFixed(2)}; warm-up before it ${warmUpCpuSeconds.toFixed(2)} in ${WARMUP_S}s), latest scrape ${(maxScrapeLateness * 100).toFixed(1)}% of the interval late, rounds ${roundSeconds.toFixed(3)}s`);
    return { cpuSeconds, warmUpCpuSeconds, maxScrapeLateness, roundSeconds };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
}

/** True once every rule group has been evaluated (upstream's API shape, which both servers answer). */
async function groupsEvaluated(base: string): Promise<boolean> {
  const body = (await (await fetch(`${base}/api/v1/rules`)).json()) as { data?: { groups: { lastEvaluation: string }[] } };
  const groups = body.data?.groups ?? [];
  return groups.length > 0 && groups.every((g) => !g.lastEvaluation.startsWith('0001-'));
}

/** Sum over groups of the last round's duration, from `prometheus_rule_group_last_duration_seconds`. */
async function groupDurations(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return [...text.matchAll(/^prometheus_rule_group_last_duration_seconds\{[^}]*\} (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/**
 * How late the latest scrape of the window started, ms: each target's `up` timestamps are compared
 * with a grid at the interval anchored at its earliest one, so only delay beyond the target's own
 * schedule counts.
 */
async function scrapeLateness(base: string): Promise<number> {
  const query = encodeURIComponent(`up{job="flink"}[${WINDOW_S}s]`);
  const body = (await (await fetch(`${base}/api/v1/query?query=${query}`)).json()) as { data: { result: { values: [number, string][] }[] } };
  const step = INTERVAL_S * 1000;
  let worst = 0;
  for (const { values } of body.data.result) {
    const times = values.map(([t]) => Math.round(t * 1000));
    const offsets = times.map((t) => (t - times[0]!) % step);
    const earliest = Math.min(...offsets.map((o) => (o > step / 2 ? o - step : o)));
    worst = Math.max(worst, ...offsets.map((o) => (o > step / 2 ? o - step : o) - earliest));
  }
  return worst;
}

async function measure(name: string, command: string, args: (config: string, data: string, port: number) => string[]): Promise<{ cpuPerRound: number; warmUpCpuPerRound: number; without: Run; with: Run }> {
  const results: Run[] = [];
  for (const withRules of [false, true]) {
    const port = await freePort();
    results.push(await run(name, command, args(config(withRules), join(dir, `${name}-${withRules}`), port), port, withRules));
  }
  const [without, withRules] = results as [Run, Run];
  return {
    cpuPerRound: (withRules.cpuSeconds - without.cpuSeconds) / (WINDOW_S / INTERVAL_S),
    warmUpCpuPerRound: (withRules.warmUpCpuSeconds - without.warmUpCpuSeconds) / (WARMUP_S / INTERVAL_S),
    without,
    with: withRules,
  };
}

const common = (config: string, data: string, port: number) => [`--config.file=${config}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`];
const main = join(repoRoot(), 'apps/server/dist/main.js');
if (!existsSync(main)) throw new Error(`${main} is missing: build first (pnpm run build)`);
const ours = await measure('pyrometer', process.execPath, (c, d, p) => [main, ...common(c, d, p)]);
const PROMETHEUS = '/usr/bin/prometheus';
const baseline = existsSync(PROMETHEUS) ? await measure('prometheus', PROMETHEUS, common) : undefined;
if (baseline === undefined) console.log(`baseline skipped: ${PROMETHEUS} is not installed (apt-get install prometheus)`);
targets.close();
rmSync(dir, { recursive: true, force: true });

const note = `200 recording + 100 alerting rules in 10 groups over ${targets.series} Flink series, ${INTERVAL_S}s interval, ${WINDOW_S}s window; each server with and without the rules`;
const vs = (value: number | undefined) => (value === undefined ? {} : { baseline: { name: 'prometheus 2.42', value } });
reportBench({ suite: 'rules', case: 'CPU per evaluation round (300 rules)', unit: 'CPU-s/round', ours: ours.cpuPerRound, ...vs(baseline?.cpuPerRound), higherIsBetter: false, note });
reportBench({ suite: 'rules', case: 'CPU per round while warming up (first rounds, not in the figure above)', unit: 'CPU-s/round', ours: ours.warmUpCpuPerRound, ...vs(baseline?.warmUpCpuPerRound), higherIsBetter: false, note: `the ${WARMUP_S}s from every group's first round to the window` });
reportBench({ suite: 'rules', case: 'wall time of one round (sum over groups)', unit: 's', ours: ours.with.roundSeconds, ...vs(baseline?.with.roundSeconds), higherIsBetter: false, note });
reportBench({ suite: 'rules', case: 'latest scrape while rules run', unit: '% of interval', ours: ours.with.maxScrapeLateness * 100, ...vs(baseline === undefined ? undefined : baseline.with.maxScrapeLateness * 100), higherIsBetter: false, note: `goal ≤ 10%; without rules: ours ${(ours.without.maxScrapeLateness * 100).toFixed(1)}%${baseline ? `, prometheus ${(baseline.without.maxScrapeLateness * 100).toFixed(1)}%` : ''}` });

function sleep(s: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, s * 1000));
}
