/** One job vertex (a chain of operators running as one task) with its current load. */
export interface GraphVertex {
  name: string;
  parallelism: number;
  /** Busy time, max over subtasks, 0..1. */
  busy: number;
  /** Back-pressured time, max over subtasks, 0..1. */
  backPressured: number;
  /** Records in per second, summed over subtasks (from the counters' rate). */
  recordsInPerSecond: number;
}

/** How a vertex is coloured, as Flink's web UI does: back-pressured, busy, or idle. */
export type VertexState = 'backpressured' | 'busy' | 'idle';

/** The vertex's state: back-pressured when that dominates (over 50%), busy when busy over 50%. */
export function vertexState(v: GraphVertex): VertexState {
  if (v.backPressured >= 0.5 && v.backPressured >= v.busy) return 'backpressured';
  if (v.busy >= 0.5) return 'busy';
  return 'idle';
}

/**
 * Flink's colours: from blue (idle) to red (busy) by busy time; back-pressured vertices from
 * grey to black by back-pressured time.
 */
export function vertexColor(v: GraphVertex): string {
  if (vertexState(v) === 'backpressured') {
    const l = Math.round(45 - 35 * v.backPressured);
    return `hsl(0, 0%, ${l}%)`;
  }
  const hue = Math.round(210 - 210 * Math.min(1, Math.max(0, v.busy)));
  return `hsl(${hue}, 70%, 45%)`;
}

/**
 * The vertices in pipeline order. Flink's metrics carry no edges, so the graph is drawn as a
 * chain: sources first (a name starting "Source"), sinks last ("Sink"), the others by records
 * in per second, highest first (filters and windows only reduce the flow downstream).
 */
export function pipelineOrder(vertices: readonly GraphVertex[]): GraphVertex[] {
  const rank = (v: GraphVertex) => (/^Source/i.test(v.name) ? 0 : /^Sink/i.test(v.name) ? 2 : 1);
  return [...vertices].sort((a, b) => rank(a) - rank(b) || b.recordsInPerSecond - a.recordsInPerSecond || a.name.localeCompare(b.name));
}
