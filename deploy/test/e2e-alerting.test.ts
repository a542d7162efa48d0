import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { peer, repoRoot } from '@pyrometer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from './local-stack.js';

// The alerting path of `npm start` end to end: the stack started as the README says (node
// scripts/stack.mjs), the simulator switched from scenario to scenario, and what the server's
// Flink rules pack raises followed into the Alertmanager (routing, grouping, inhibition), the
// webhook receiver (its API and the stack's log) and Debian's amtool (a silence).
//
// Speed: PYROMETER_INTERVAL=2s and PYROMETER_ALERT_SPEEDUP=10 — the same rule expressions, labels
// and annotations, the `for` durations and the Alertmanager's group_wait, group_interval and
// repeat_interval divided by 10 (warnings: group_wait 3s, group_interval 30s). The windows in the
// expressions keep their length; in a stack only a minute old they fill with the scenario's
// samples quickly, which is what makes backpressure cross its 5-minute average in seconds here.

const root = repoRoot();
const APPS = ['server', 'pushgateway', 'flink-simulator', 'alertmanager', 'webhook-receiver'];
const built = APPS.every((app) => existsSync(join(root, 'apps', app, 'dist', 'main.js')));
if (!built && process.env['CI'] === 'true') throw new Error('the apps are not built: run the build before the end-to-end test');
const amtool = peer('amtool', 'prometheus-alertmanager');
const run = promisify(execFile);

/** An alert as the Alertmanager's API v2 lists it. */
interface ApiAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generatorURL: string;
  receivers: { name: string }[];
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
}

/** A notification as the webhook receiver's API lists it. */
interface Notification {
  id: number;
  path: string;
  payload: {
    receiver: string;
    status: string;
    groupLabels: Record<string, string>;
    commonLabels: Record<string, string>;
    externalURL: string;
    groupKey: string;
    version: string;
    alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string>; endsAt: string; generatorURL: string }[];
  };
}

/** How long one step may wait for what the stack does on its own (generous: the machine is shared). */
const STEP_MS = 150_000;
/** The timeout of a test that waits for `steps` such steps: theirs plus a minute for its own requests and pauses. */
const forSteps = (steps: number) => steps * STEP_MS + 60_000;

const skipReason = !built ? 'apps not built' : amtool.missingReason;
describe.skipIf(skipReason !== undefined)(`the alerting path of npm start end to end${skipReason === undefined ? '' : ` — skipped: ${skipReason}`}`, () => {
  let stack: LocalStack;
  let am: string;
  let receiver: string;
  let jobNames: string[];

  const json = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;
  const scenario = async (name: string) => expect((await fetch(`${stack.urls['flink-simulator']}/scenario/${name}`, { method: 'POST' })).status).toBe(200);
  const alertsNamed = async (alertname: string) => (await json<ApiAlert[]>(`${am}/api/v2/alerts`)).filter((a) => a.labels['alertname'] === alertname);
  const notifications = async () => (await json<{ notifications: Notification[] }>(`${receiver}/api/notifications`)).notifications.reverse();
  /** Polls until `check` returns a value, failing with the stack's last lines. */
  const waitUntil = async <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + STEP_MS;
    while (Date.now() < deadline) {
      const value = await check();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error(`timed out waiting for ${what}\n--- stack output ---\n${stack.tail()}`);
  };
  /** The notifications of one group (alertname, job_name) with the given status, oldest first. */
  const groupNotifications = async (alertname: string, jobName: string | undefined, status: string) =>
    (await notifications()).filter((n) => n.payload.groupLabels['alertname'] === alertname && n.payload.groupLabels['job_name'] === jobName && n.payload.status === status);
  /** Waits for the first firing notification of `alertname`'s group of every job, in the order of `jobNames`. */
  const firstFiringPerJob = (alertname: string) =>
    waitUntil(`a ${alertname} notification for every job`, async () => {
      const found = await Promise.all(jobNames.map(async (job) => (await groupNotifications(alertname, job, 'firing'))[0]));
      return found.every((n) => n !== undefined) ? (found as Notification[]) : undefined;
    });

  beforeAll(async () => {
    stack = await startLocalStack({ PYROMETER_INTERVAL: '2s', PYROMETER_ALERT_SPEEDUP: '10' });
    am = stack.urls['alertmanager']!;
    receiver = stack.urls['webhook-receiver']!;
    const status = await json<{ jobLabels: string[] }>(`${stack.urls['flink-simulator']}/status`);
    expect(status.jobLabels).toHaveLength(3);
    await waitUntil('Flink data in the server', async () => {
      const r = await json<{ data: { result: unknown[] } }>(`${stack.urls['server']}/api/v1/query?query=${encodeURIComponent('flink_jobmanager_job_uptime > 0')}`);
      return r.data.result.length === 3 ? true : undefined;
    });
  }, 120_000 + forSteps(1)); // the stack's start (startLocalStack waits up to 2 minutes), then one step

  afterAll(async () => {
    await stack?.stop();
  }, 90_000);

  it('backpressure: FlinkBackpressure reaches the Alertmanager and the warning receiver, one notification per Flink job', async () => {
    await scenario('backpressure');
    // Three jobs, each with three backpressured tasks (every vertex but the sink).
    const alerts = await waitUntil('9 FlinkBackpressure alerts in the Alertmanager', async () => ((await alertsNamed('FlinkBackpressure')).length === 9 ? alertsNamed('FlinkBackpressure') : undefined));
    jobNames = [...new Set(alerts.map((a) => a.labels['job_name']!))].sort();
    expect(jobNames).toHaveLength(3);
    for (const a of alerts) {
      // The task alert aggregates the process away: no Pushgateway group, host or subtask labels.
      expect(Object.keys(a.labels).sort()).toEqual(['alertname', 'cluster', 'job_id', 'job_name', 'severity', 'stack', 'task_id', 'task_name']);
      expect(a.labels).toMatchObject({ alertname: 'FlinkBackpressure', severity: 'warning', cluster: 'demo', stack: 'pyrometer-local' });
      expect(a.annotations['summary']).toBe(`Task ${a.labels['task_name']} of Flink job ${a.labels['job_name']} is backpressured`);
      expect(a.annotations['description']).toMatch(new RegExp(`^A subtask of ${a.labels['task_name']} in job ${a.labels['job_name']} was backpressured \\d+ ms per second on average over 5 minutes: a task downstream cannot keep up\\.$`));
      expect(a.annotations['runbook']).toMatch(/^Find the first task downstream that is busy but not backpressured/);
      expect(a.generatorURL.startsWith(`${stack.urls['server']}/graph?g0.expr=`)).toBe(true);
      expect(a.receivers).toEqual([{ name: 'warning' }]);
      expect(a.status.state).toBe('active');
    }

    // Grouped by alertname, cluster and job_name: one group per Flink job, each notified on /warning.
    for (const [i, n] of (await firstFiringPerJob('FlinkBackpressure')).entries()) {
      const job = jobNames[i]!;
      expect(n.path).toBe('/warning');
      expect(n.payload).toMatchObject({ receiver: 'warning', version: '4', externalURL: am, groupLabels: { alertname: 'FlinkBackpressure', cluster: 'demo', job_name: job } });
      expect(n.payload.groupKey).toBe(`{}/{severity="warning"}:{alertname="FlinkBackpressure", cluster="demo", job_name="${job}"}`);
      expect(n.payload.commonLabels).toMatchObject({ alertname: 'FlinkBackpressure', severity: 'warning', cluster: 'demo', job_name: job, stack: 'pyrometer-local' });
      expect(n.payload.alerts.length).toBeGreaterThan(0);
      for (const a of n.payload.alerts) {
        expect(a.status).toBe('firing');
        expect(a.labels['job_name']).toBe(job);
        expect(a.annotations['summary']).toBe(`Task ${a.labels['task_name']} of Flink job ${job} is backpressured`);
      }
      // The receiver printed it in the stack's log.
      expect(stack.output()).toContain(`[webhook-receiver] notification #${n.id} for receiver "warning" (POST /warning): FIRING {alertname="FlinkBackpressure", cluster="demo", job_name="${job}"}`);
    }
    expect(await (await fetch(`${receiver}/`)).text()).toContain('FlinkBackpressure');
  }, forSteps(2));

  it("a silence added with Debian's amtool mutes one job's group: back to steady, the other jobs' resolutions arrive and nothing more for the silenced one", async () => {
    const [silencedJob, ...otherJobs] = jobNames;
    const { stdout } = await run(amtool.path!, [`--alertmanager.url=${am}`, 'silence', 'add', 'alertname=FlinkBackpressure', `job_name=${silencedJob}`, '--author=e2e', '--comment=looking into it', '--duration=1h']);
    const silenceId = stdout.trim();
    expect(silenceId).toMatch(/^[0-9a-f-]{36}$/);
    const silenced = await waitUntil(`the alerts of ${silencedJob} silenced`, async () => {
      const alerts = (await alertsNamed('FlinkBackpressure')).filter((a) => a.labels['job_name'] === silencedJob);
      return alerts.length > 0 && alerts.every((a) => a.status.state === 'suppressed') ? alerts : undefined;
    });
    for (const a of silenced) expect(a.status.silencedBy).toEqual([silenceId]);
    const before = (await notifications()).filter((n) => n.payload.groupLabels['job_name'] === silencedJob && n.payload.groupLabels['alertname'] === 'FlinkBackpressure').length;

    await scenario('steady');
    for (const job of otherJobs!) {
      const [resolved] = await waitUntil(`the resolved FlinkBackpressure notification of ${job}`, async () => {
        const all = await groupNotifications('FlinkBackpressure', job, 'resolved');
        return all.length > 0 ? all : undefined;
      });
      const [firing] = await groupNotifications('FlinkBackpressure', job, 'firing');
      expect(resolved!.path).toBe('/warning');
      expect(resolved!.payload.groupKey).toBe(firing!.payload.groupKey);
      for (const a of resolved!.payload.alerts) {
        expect(a.status).toBe('resolved');
        expect(Date.parse(a.endsAt)).toBeLessThanOrEqual(Date.now());
      }
      expect(stack.output()).toContain(`RESOLVED {alertname="FlinkBackpressure", cluster="demo", job_name="${job}"}`);
    }
    // Every backpressure alert has resolved in the Alertmanager; give the silenced group one more
    // group_interval (30 s here) to flush: had the silence not muted it, its resolution would be sent then.
    await waitUntil('every FlinkBackpressure alert resolved in the Alertmanager', async () => ((await alertsNamed('FlinkBackpressure')).length === 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 35_000));
    const after = (await notifications()).filter((n) => n.payload.groupLabels['job_name'] === silencedJob && n.payload.groupLabels['alertname'] === 'FlinkBackpressure');
    expect(after).toHaveLength(before);
    expect(after.every((n) => n.payload.status === 'firing')).toBe(true);
  }, forSteps(4));

  it('checkpoint failures: FlinkCheckpointsFailing reaches the warning receiver for every job, the silenced one included', async () => {
    await scenario('checkpoint-failures');
    for (const [i, n] of (await firstFiringPerJob('FlinkCheckpointsFailing')).entries()) {
      const job = jobNames[i]!;
      expect(n.path).toBe('/warning');
      expect(n.payload.groupLabels).toEqual({ alertname: 'FlinkCheckpointsFailing', cluster: 'demo', job_name: job });
      expect(n.payload.alerts).toHaveLength(1);
      const [a] = n.payload.alerts;
      expect(a!.labels).toMatchObject({ alertname: 'FlinkCheckpointsFailing', severity: 'warning', cluster: 'demo', job_name: job, host: '10_0_3_10', stack: 'pyrometer-local' });
      expect(a!.annotations['summary']).toBe(`Checkpoints of Flink job ${job} are failing`);
      expect(a!.annotations['description']).toMatch(new RegExp(`^\\d+ checkpoints of job ${job} \\(${a!.labels['job_id']}\\) failed in the last 10 minutes\\.$`));
      expect(a!.annotations['runbook']).toMatch(/^Open the job's Checkpoints tab/);
    }
  }, forSteps(1));

  it('TaskManager loss: FlinkTaskManagerLost reaches the warning receiver in a cluster-wide group', async () => {
    await scenario('taskmanager-loss');
    const [n] = await waitUntil('a FlinkTaskManagerLost notification', async () => {
      const all = await groupNotifications('FlinkTaskManagerLost', undefined, 'firing');
      return all.length > 0 ? all : undefined;
    });
    expect(n!.path).toBe('/warning');
    // The alert names no Flink job, so its group has no job_name, and no critical alert inhibits it.
    expect(n!.payload.groupLabels).toEqual({ alertname: 'FlinkTaskManagerLost', cluster: 'demo' });
    expect(n!.payload.groupKey).toBe('{}/{severity="warning"}:{alertname="FlinkTaskManagerLost", cluster="demo"}');
    expect(n!.payload.alerts).toHaveLength(1);
    const [a] = n!.payload.alerts;
    expect(a!.labels).toMatchObject({ alertname: 'FlinkTaskManagerLost', severity: 'warning', cluster: 'demo', host: '10_0_3_10' });
    expect(a!.annotations['summary']).toBe('The Flink cluster of JobManager 10_0_3_10 lost a TaskManager');
    expect(a!.annotations['description']).toMatch(/^1 TaskManagers are registered with JobManager 10_0_3_10, fewer than earlier in the last hour/);
  }, forSteps(1));

  it("restart loop: FlinkJobRestartLoop reaches the critical receiver and inhibits that job's warnings, and only that job's", async () => {
    await scenario('restart-loop');
    const [n] = await waitUntil('a FlinkJobRestartLoop notification', async () => {
      const all = (await notifications()).filter((x) => x.payload.groupLabels['alertname'] === 'FlinkJobRestartLoop');
      return all.length > 0 ? all : undefined;
    });
    const job = n!.payload.groupLabels['job_name']!;
    expect(n!.path).toBe('/critical');
    expect(n!.payload.receiver).toBe('critical');
    expect(n!.payload.groupKey).toBe(`{}/{severity="critical"}:{alertname="FlinkJobRestartLoop", cluster="demo", job_name="${job}"}`);
    expect(n!.payload.alerts[0]!.annotations['summary']).toMatch(new RegExp(`^Flink job ${job} restarted \\d+ times in 15 minutes$`));
    // The checkpoint warnings of the previous step still fire (their window is 10 minutes).
    const states = await waitUntil(`the warnings of ${job} inhibited`, async () => {
      const alerts = await alertsNamed('FlinkCheckpointsFailing');
      const mine = alerts.filter((a) => a.labels['job_name'] === job);
      return mine.length > 0 && mine.every((a) => a.status.inhibitedBy.length > 0) ? alerts : undefined;
    });
    for (const a of states) expect([a.labels['job_name'], a.status.state]).toEqual([a.labels['job_name'], a.labels['job_name'] === job ? 'suppressed' : 'active']);
  }, forSteps(2));
});
