import { ErrorBox, Loading } from '../shell/components.js';
import { valueText } from '../shell/format.js';
import { substitute, type DashboardPanel } from './dashboards.js';
import { byLabel, useInstantVector } from './flink-queries.js';
import { PANELS } from './panels.js';
import { pipelineOrder, vertexColor, vertexState, type GraphVertex } from './job-graph-model.js';

const BOX_W = 220;
const BOX_H = 118;
const GAP = 60;

/**
 * The job graph drawn as Flink's web UI draws it: one box per job vertex, coloured by busy time
 * (blue → red) or back-pressure (grey → black), with parallelism, busy, back-pressured and
 * records in per second. The load comes from the backpressure and throughput dashboards' queries.
 */
export function JobGraph({ job }: { job: string }) {
  const vars = { job_name: job };
  const q = (p: DashboardPanel) => substitute(p.targets[0]!.expr, vars);
  const busy = useInstantVector(q(PANELS.busyTime));
  const pressured = useInstantVector(q(PANELS.backPressuredTime));
  const records = useInstantVector(q(PANELS.recordsInRate));
  // Parallelism: how many subtasks report busy time (a UI-only query; no dashboard panel shows it).
  const subtasks = useInstantVector(`count by (task_name) (flink_taskmanager_job_task_busyTimeMsPerSecond{job_name=~"${substitute('$job_name', vars)}"})`);
  if (busy.error) return <ErrorBox error={busy.error} />;
  if (busy.data === undefined) return <Loading />;
  if (busy.data.length === 0) return <p className="muted">No task of this job reports metrics.</p>;
  const pressuredBy = byLabel(pressured.data ?? [], 'task_name');
  const recordsBy = byLabel(records.data ?? [], 'task_name');
  const subtasksBy = byLabel(subtasks.data ?? [], 'task_name');
  const vertices = pipelineOrder(
    busy.data.map((s) => {
      const name = s.metric['task_name'] ?? '';
      return { name, parallelism: subtasksBy.get(name) ?? 0, busy: Number(s.value?.[1] ?? 0) / 1000, backPressured: (pressuredBy.get(name) ?? 0) / 1000, recordsInPerSecond: recordsBy.get(name) ?? 0 };
    }),
  );
  const width = vertices.length * (BOX_W + GAP) - GAP + 20;
  return (
    <div className="job-graph">
      <svg width={width} height={BOX_H + 20} viewBox={`0 0 ${width} ${BOX_H + 20}`} role="img" aria-label="Job graph">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" fill="var(--muted)" />
          </marker>
        </defs>
        {vertices.map((v, i) => {
          const x = 10 + i * (BOX_W + GAP);
          return (
            <g key={v.name}>
              {i > 0 && <line x1={x - GAP} y1={10 + BOX_H / 2} x2={x - 2} y2={10 + BOX_H / 2} stroke="var(--muted)" strokeWidth={2} markerEnd="url(#arrow)" />}
              <Vertex vertex={v} x={x} y={10} />
            </g>
          );
        })}
      </svg>
      <p className="muted legend-note">
        Colour as in Flink's web UI: blue idle → red busy; grey → black back-pressured. Edges are drawn as a chain: Flink's metrics do not report the graph's edges.
      </p>
    </div>
  );
}

function Vertex({ vertex: v, x, y }: { vertex: GraphVertex; x: number; y: number }) {
  const lines = wrap(v.name, 30).slice(0, 3);
  return (
    <g data-vertex={v.name} data-state={vertexState(v)}>
      <rect x={x} y={y} width={BOX_W} height={BOX_H} rx={6} fill={vertexColor(v)} />
      {lines.map((l, i) => (
        <text key={i} x={x + 10} y={y + 18 + i * 15} fill="#fff" fontSize={12} fontWeight={600}>
          {l}
        </text>
      ))}
      <text x={x + 10} y={y + 70} fill="#fff" fontSize={11.5}>
        Parallelism: {v.parallelism}
      </text>
      <text x={x + 10} y={y + 85} fill="#fff" fontSize={11.5}>
        Busy (max): {Math.round(v.busy * 100)}% · Backpressured: {Math.round(v.backPressured * 100)}%
      </text>
      <text x={x + 10} y={y + 100} fill="#fff" fontSize={11.5}>
        Records in: {valueText(v.recordsInPerSecond)}/s
      </text>
      <title>{`${v.name}\nstate: ${vertexState(v)}`}</title>
    </g>
  );
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.flatMap((l) => (l.length > width ? [l.slice(0, width - 1) + '…'] : [l]));
}
