import { ErrorBox, Loading } from '../shell/components.js';
import { valueText } from '../shell/format.js';
import { substitute, type DashboardPanel } from './dashboards.js';
import { byLabel, useInstantVector } from './flink-queries.js';
import { PANELS } from './panels.js';
import { pipelineOrder, vertexColor, vertexState, type GraphVertex } from './job-graph-model.js';

const BOX_W = 230;
const BOX_H = 132;
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
  const lines = wrap(displayName(v.name), 27).slice(0, 3);
  const stats = [`Parallelism: ${v.parallelism}`, `Busy (max): ${Math.round(v.busy * 100)}%`, `Backpressured (max): ${Math.round(v.backPressured * 100)}%`, `Records in: ${valueText(v.recordsInPerSecond)}/s`];
  return (
    <g data-vertex={v.name} data-state={vertexState(v)}>
      <rect x={x} y={y} width={BOX_W} height={BOX_H} rx={6} fill={vertexColor(v)} />
      {lines.map((l, i) => (
        <text key={i} x={x + 10} y={y + 18 + i * 15} fill="#fff" fontSize={12} fontWeight={600}>
          {l}
        </text>
      ))}
      {stats.map((line, i) => (
        <text key={line} x={x + 10} y={y + 70 + i * 15} fill="#fff" fontSize={11.5}>
          {line}
        </text>
      ))}
      <title>{`${v.name}\nstate: ${vertexState(v)}`}</title>
    </g>
  );
}

/**
 * A task name for reading: Flink's reporter replaces every character outside [a-zA-Z0-9:_] with
 * "_", so a chain's " -> " arrives as "____"; it is shown as an arrow again.
 */
function displayName(name: string): string {
  return name.replace(/____/g, ' → ').replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Words into lines of at most `width` characters; a longer word is cut into pieces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').flatMap((w) => w.match(new RegExp(`.{1,${width}}`, 'g')) ?? [])) {
    if (line !== '' && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
