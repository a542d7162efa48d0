import type { HttpTask, Task } from './protocol.js';

/** Query parameters that move a query in time without changing its cost: the range length replaces `start` and `end`. */
const TIME_PARAMS = new Set(['time', 'start', 'end']);
const textDecoder = new TextDecoder();

/**
 * What tasks of the same cost share: the route and its parameters but the times (an HTTP task),
 * the queries (a rule's). Undefined for a task the lane never predicts (remote write bodies).
 * Read before the task's body is transferred to a worker.
 */
export function taskShape(task: Task): string | undefined {
  switch (task.kind) {
    case 'http':
      return httpShape(task);
    case 'instant':
      return `instant\n${task.query}`;
    case 'instant-batch':
      return `batch\n${task.queries.join('\n')}`;
    case 'decode-write':
      return undefined;
  }
}

function httpShape(task: HttpTask): string {
  const params = new URLSearchParams(task.search);
  if (task.body !== undefined) for (const [name, value] of new URLSearchParams(textDecoder.decode(task.body))) params.append(name, value);
  let shape = task.route;
  for (const [name, value] of params) if (!TIME_PARAMS.has(name)) shape += `&${name}=${value}`;
  const start = params.get('start');
  const end = params.get('end');
  return start === null || end === null ? shape : `${shape}&range=${seconds(end) - seconds(start)}`;
}

/** A time parameter in seconds (a Unix time or RFC 3339); NaN when it is neither (the task then fails anyway). */
function seconds(value: string): number {
  const unix = Number(value);
  return Number.isFinite(unix) ? unix : Date.parse(value) / 1000;
}
