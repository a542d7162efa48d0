// Alertmanager benchmark, ours beside Debian's prometheus-alertmanager on the same machine and
// the same work: 10k active alerts in 1k groups posted as Prometheus posts them (batches of 64,
// one request at a time), then every group notified to a webhook. Figures: ingest throughput
// (first post and Prometheus's periodic re-send), time from POST to webhook for a new group beyond
// its group_wait, RSS per alert, CPU per notification. Both run as separate processes driven over
// HTTP by this script, each with its own storage path and no clustering. Bounded: about a minute each.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebhookReceiver } from '@pyrometer/alertmanager/testing';
import { freePort, processCpuSeconds, processRssBytes, reportBench, waitForHttp } from '@pyrometer/testkit/bench';

const GROUPS = 1_000;
const PER_GROUP = 10;
const BATCH = 64; // Prometheus's default alertmanager batch size
const GROUP_WAIT_MS = 15_000; // longer than either ingest takes, so ingest and notification CPU stay apart
const PROBE_GROUP_WAIT_MS = 1_000;
const PROBES = 5;
const UPSTREAM = '/usr/bin/prometheus-alertmanager';

const config = (hook: string) => `
route:
  receiver: oncall
  group_by: [alertname, job_name]
  group_wait: ${GROUP_WAIT_MS / 1000}s
  group_interval: 5m
  repeat_interval: 4h
  routes:
  - matchers: [alertname="BenchProbe"]
    group_wait: ${PROBE_GROUP_WAIT_MS / 1000}s
receivers:
- name: oncall
  webhook_configs: [{url: '${hook}', send_resolved: true}]
`;

/**
 * A Flink-shaped alert as Prometheus posts it: labels, annotations, startsAt, endsAt 4 resend
 * delays ahead, generator URL. It started firing `firedAt` (ms): a new alert (now) waits group_wait.
 */
function alert(name: string, group: number, i: number, firedAt = Date.now()) {
  const now = Date.now();
  return {
    labels: { alertname: name, job_name: `flink-job-${group}`, task_name: `Map -> Sink ${i}`, subtask_index: String(i), severity: 'warning', job: 'flink', instance: `taskmanager-${i % 7}:9249` },
    annotations: { summary: `Task ${i} of flink-job-${group} is backpressured`, description: 'Backpressure above 50% for 5 minutes; see the runbook.', runbook_url: 'https://runbooks.example/flink/backpressure' },
    startsAt: new Date(firedAt).toISOString(),
    endsAt: new Date(now + 4 * 60_000).toISOString(),
    generatorURL: `http://prometheus:9090/graph?g0.expr=flink_backpressure%7Bjob_name%3D%22flink-job-${group}%22%7D`,
  };
}

async function post(url: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`POST /api/v2/alerts answered ${res.status}`);
}

/** Posts every alert in batches, one request at a time (as Prometheus's notifier does per Alertmanager); returns alerts/s. */
async function ingest(url: string, firedAt: number): Promise<number> {
  const all = [];
  for (let g = 0; g < GROUPS; g++) for (let i = 0; i < PER_GROUP; i++) all.push(alert('FlinkTaskBackpressure', g, i, firedAt));
  const t0 = performance.now();
  for (let i = 0; i < all.length; i += BATCH) await post(url, all.slice(i, i + BATCH));
  return all.length / ((performance.now() - t0) / 1000);
}

interface Figures {
  ingestPerS: number;
  resendPerS: number;
  probeMs: number;
  rssPerAlertBytes: number;
  rssMiB: number;
  cpuPerNotificationMs: number;
}

async function measure(name: string, command: string, args: string[], dir: string): Promise<Figures> {
  const hook = await WebhookReceiver.start();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(join(dir, `${name}.yml`), config(hook.url));
  const child: ChildProcess = spawn(command, [...args, `--config.file=${join(dir, `${name}.yml`)}`, `--storage.path=${join(dir, name)}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], { stdio: 'ignore' });
  try {
    await waitForHttp(`${url}/-/ready`);
    await new Promise((r) => setTimeout(r, 1_000));
    const rss0 = processRssBytes(child.pid!);
    const firedAt = Date.now();
    const ingestPerS = await ingest(url, firedAt);
    const cpu0 = processCpuSeconds(child.pid!);
    await hook.waitFor(GROUPS, GROUP_WAIT_MS + 60_000);
    const cpuPerNotificationMs = ((processCpuSeconds(child.pid!) - cpu0) * 1000) / GROUPS;
    const rss = processRssBytes(child.pid!);
    const resendPerS = await ingest(url, firedAt);
    const probes: number[] = [];
    for (let p = 0; p < PROBES; p++) {
      const before = hook.received.length;
      const t0 = Date.now();
      await post(url, [alert('BenchProbe', p, 0)]);
      const [answer] = (await hook.waitFor(before + 1, 30_000)).slice(before);
      probes.push(answer!.receivedAt - t0 - PROBE_GROUP_WAIT_MS);
    }
    probes.sort((a, b) => a - b);
    const figures = { ingestPerS, resendPerS, probeMs: probes[Math.floor(PROBES / 2)]!, rssPerAlertBytes: (rss - rss0) / (GROUPS * PER_GROUP), rssMiB: rss / 2 ** 20, cpuPerNotificationMs };
    console.log(`${name}: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    await hook.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'am-bench-'));
try {
  // The built binary users run (`pnpm bench` builds first), so no TypeScript loader is measured with it.
  const main = join(import.meta.dirname, '../dist/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (pnpm run build)`);
  const ours = await measure('pyrometer', process.execPath, [main, '--log.level=warn'], dir);
  const theirs = existsSync(UPSTREAM) ? await measure('upstream', UPSTREAM, ['--log.level=warn'], dir) : undefined;
  if (theirs === undefined) console.log(`baseline skipped: ${UPSTREAM} is not installed (apt-get install prometheus-alertmanager)`);
  const vs = (value: number | undefined) => (value === undefined ? {} : { baseline: { name: 'prometheus-alertmanager 0.25', value } });
  const note = `${GROUPS * PER_GROUP} alerts in ${GROUPS} groups, POSTs of ${BATCH}`;
  reportBench({ suite: 'alertmanager', case: 'ingest, first POST of each alert', unit: 'alerts/s', ours: ours.ingestPerS, ...vs(theirs?.ingestPerS), higherIsBetter: true, note });
  reportBench({ suite: 'alertmanager', case: "ingest, Prometheus's re-send of active alerts", unit: 'alerts/s', ours: ours.resendPerS, ...vs(theirs?.resendPerS), higherIsBetter: true, note });
  reportBench({ suite: 'alertmanager', case: 'POST to webhook for a new group, beyond group_wait', unit: 'ms', ours: ours.probeMs, ...vs(theirs?.probeMs), higherIsBetter: false, note: `median of ${PROBES}, with the ${GROUPS * PER_GROUP} alerts active` });
  reportBench({ suite: 'alertmanager', case: 'RSS per active alert', unit: 'bytes/alert', ours: ours.rssPerAlertBytes, ...vs(theirs?.rssPerAlertBytes), higherIsBetter: false, note: 'RSS growth from idle to all alerts stored and notified' });
  reportBench({ suite: 'alertmanager', case: 'RSS with the alerts stored and notified', unit: 'MiB', ours: ours.rssMiB, ...vs(theirs?.rssMiB), higherIsBetter: false, note });
  reportBench({ suite: 'alertmanager', case: 'CPU per notification (group flush to webhook)', unit: 'ms', ours: ours.cpuPerNotificationMs, ...vs(theirs?.cpuPerNotificationMs), higherIsBetter: false, note: `${GROUPS} groups of ${PER_GROUP} alerts` });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
