import type { InstantSample } from '@pyrometer/http-api';
import { Link } from 'react-router';
import { ErrorBox, Loading } from '../shell/components.js';
import { humanDuration, valueText } from '../shell/format.js';
import { PageHeader } from '../shell/layout.js';
import { substitute, type DashboardPanel } from './dashboards.js';
import { byLabel, sampleValue, useInstantVector } from './flink-queries.js';
import { PanelChart } from './panel-chart.js';
import { PANELS } from './panels.js';
import { Stat } from './stat.js';

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

/** /flink: the cluster overview — TaskManagers, slots, running jobs, the jobs and the TaskManagers. */
export function FlinkOverview() {
  return (
    <>
      <PageHeader title="Flink cluster" />
      <div className="stats">
        {PANELS.overviewStats.map((p) => (
          <Stat key={p.title} panel={p} />
        ))}
      </div>
      <h2>Jobs</h2>
      <JobsTable />
      <h2>TaskManagers</h2>
      <TaskManagersTable />
      <div className="grid">
        <PanelChart panel={PANELS.jobUptime} format={(v) => humanDuration(v * 1000)} />
        <PanelChart panel={PANELS.taskManagersReporting} />
        <PanelChart panel={PANELS.pushAge} />
      </div>
    </>
  );
}

/** A panel's first query with every variable matching all (Grafana's "All"). */
const allOf = (p: DashboardPanel) => substitute(p.targets[0]!.expr);

function JobsTable() {
  const uptime = useInstantVector(allOf(PANELS.jobUptime));
  const restarts = useInstantVector(allOf(PANELS.restarts));
  const completed = useInstantVector(allOf(PANELS.completedCheckpoints));
  const failed = useInstantVector(allOf(PANELS.failedCheckpoints));
  const duration = useInstantVector(allOf(PANELS.checkpointDuration));
  if (uptime.error) return <ErrorBox error={uptime.error} />;
  if (uptime.data === undefined) return <Loading />;
  if (uptime.data.length === 0) return <p className="muted">No Flink job reports metrics (is the Pushgateway scraped, and Flink's reporter pushing to it?).</p>;
  const by = (s: { data: InstantSample[] | undefined }) => byLabel(s.data ?? [], 'job_name');
  const cell = (m: Map<string, number>, job: string, f: (v: number) => string = valueText) => (m.has(job) ? f(m.get(job)!) : '—');
  return (
    <div className="panel">
      <table className="table" data-testid="flink-jobs">
        <thead>
          <tr>
            <th>Job</th>
            <th className="num">Uptime</th>
            <th className="num">Restarts</th>
            <th className="num">Completed checkpoints</th>
            <th className="num">Failed checkpoints (2m)</th>
            <th className="num">Last checkpoint duration</th>
          </tr>
        </thead>
        <tbody>
          {[...uptime.data].sort((a, b) => (a.metric['job_name'] ?? '').localeCompare(b.metric['job_name'] ?? '')).map((s) => {
            const job = s.metric['job_name'] ?? '';
            return (
              <tr key={`${job}/${s.metric['job_id']}`}>
                <td>
                  <Link to={`job/${encodeURIComponent(job)}`}>{job}</Link>
                </td>
                <td className="num">{humanDuration(sampleValue(s) * 1000)}</td>
                <td className="num">{cell(by(restarts), job)}</td>
                <td className="num">{cell(by(completed), job)}</td>
                <td className="num">{cell(by(failed), job)}</td>
                <td className="num">{cell(by(duration), job, (v) => humanDuration(v))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function TaskManagersTable() {
  const heap = useInstantVector(allOf(PANELS.heapRatio));
  const cpu = useInstantVector(allOf(PANELS.cpuLoad));
  const threads = useInstantVector(allOf(PANELS.threads));
  if (heap.error) return <ErrorBox error={heap.error} />;
  if (heap.data === undefined) return <Loading />;
  if (heap.data.length === 0) return <p className="muted">No TaskManager reports JVM metrics.</p>;
  const byTm = (s: { data: InstantSample[] | undefined }) => byLabel(s.data ?? [], 'tm_id');
  return (
    <div className="panel">
      <table className="table" data-testid="flink-taskmanagers">
        <thead>
          <tr>
            <th>TaskManager</th>
            <th>Host</th>
            <th className="num">Heap used</th>
            <th className="num">CPU load</th>
            <th className="num">Threads</th>
          </tr>
        </thead>
        <tbody>
          {heap.data.map((s) => {
            const tm = s.metric['tm_id'] ?? '';
            return (
              <tr key={tm}>
                <td>
                  <Link className="mono" to={`taskmanager/${encodeURIComponent(tm)}`}>
                    {tm}
                  </Link>
                </td>
                <td className="mono">{s.metric['host']}</td>
                <td className="num">{percent(sampleValue(s))}</td>
                <td className="num">{byTm(cpu).has(tm) ? percent(byTm(cpu).get(tm)!) : '—'}</td>
                <td className="num">{byTm(threads).get(tm) ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
