import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import { bytesText, humanDuration } from '../shell/format.js';
import { PageHeader } from '../shell/layout.js';
import type { DashboardPanel } from './dashboards.js';
import { PanelChart } from './panel-chart.js';
import { PANELS } from './panels.js';

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;
const CHARTS: { panel: DashboardPanel; format?: (v: number) => string }[] = [
  { panel: PANELS.heapRatio, format: percent },
  { panel: PANELS.heapUsed, format: bytesText },
  { panel: PANELS.nonHeapHeadroom, format: bytesText },
  { panel: PANELS.gcTime, format: (v) => humanDuration(v * 1000) },
  { panel: PANELS.youngGcs },
  { panel: PANELS.threads },
  { panel: PANELS.cpuLoad, format: percent },
];

/** /flink/taskmanager/:tmId: one TaskManager's JVM — heap, non-heap, GC, threads, CPU (the JVM dashboard's panels). */
export function TaskManagerPage() {
  const tmId = useParams()['tmId'] ?? '';
  const keep = useCallback((labels: Readonly<Record<string, string>>) => labels['tm_id'] === tmId, [tmId]);
  return (
    <>
      <PageHeader title={`TaskManager ${tmId}`}>
        <Link to="/flink">← cluster</Link>
      </PageHeader>
      <div className="grid">
        {CHARTS.map((c) => (
          <PanelChart key={c.panel.title} panel={c.panel} keep={keep} {...(c.format ? { format: c.format } : {})} />
        ))}
      </div>
    </>
  );
}
