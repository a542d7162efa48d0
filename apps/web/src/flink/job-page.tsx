import { Link, useParams } from 'react-router';
import { bytesText, humanDuration } from '../shell/format.js';
import { PageHeader } from '../shell/layout.js';
import type { DashboardPanel } from './dashboards.js';
import { JobGraph } from './job-graph.js';
import { PanelChart } from './panel-chart.js';
import { PANELS } from './panels.js';
import { Stat } from './stat.js';

const ms = (v: number) => `${Math.round(v)}ms`;
const CHARTS: { panel: DashboardPanel; format?: (v: number) => string }[] = [
  { panel: PANELS.recordsOut },
  { panel: PANELS.recordsIn },
  { panel: PANELS.watermarkLag, format: (v) => humanDuration(v * 1000) },
  { panel: PANELS.backPressuredTime, format: ms },
  { panel: PANELS.busyTime, format: ms },
  { panel: PANELS.restartsIn5m },
  { panel: PANELS.checkpointDuration, format: humanDuration },
  { panel: PANELS.checkpointSize, format: bytesText },
  { panel: PANELS.failedCheckpoints },
];

/** /flink/job/:jobName: uptime, restarts, checkpoints, the job graph, throughput per operator, watermark lag. */
export function JobPage() {
  const job = useParams()['jobName'] ?? '';
  const vars = { job_name: job };
  return (
    <>
      <PageHeader title={`Job ${job}`}>
        <Link to="/flink">← cluster</Link>
      </PageHeader>
      <div className="stats">
        <Stat panel={PANELS.uptime} vars={vars} format={(v) => humanDuration(v * 1000)} />
        <Stat panel={PANELS.restarts} vars={vars} />
        <Stat panel={PANELS.completedCheckpoints} vars={vars} />
        <Stat panel={PANELS.failedCheckpoints} vars={vars} />
        <Stat panel={PANELS.checkpointDuration} vars={vars} format={humanDuration} />
      </div>
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Job graph</h2>
        <JobGraph job={job} />
      </section>
      <div className="grid">
        {CHARTS.map((c) => (
          <PanelChart key={c.panel.title} panel={c.panel} vars={vars} {...(c.format ? { format: c.format } : {})} />
        ))}
      </div>
    </>
  );
}
