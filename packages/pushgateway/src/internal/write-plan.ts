import { groupingKeyOf } from '../grouping-key.js';
import type { WriteRequest, WriteResult } from '../store.js';
import type { GroupRecord } from './group-record.js';
import type { GroupState } from './group-state.js';

/** What a write changes: groups to install, group keys to delete, and the answer for the client. */
export interface WritePlan {
  readonly result: WriteResult;
  readonly set: readonly GroupRecord[];
  readonly deleted: readonly string[];
}

/**
 * Computes the effect of a write on `state` without changing it, so a store can persist the plan
 * (to Redis, say) before applying it. A rejected push still sets `push_failure_time_seconds`.
 */
export function planWrite(state: GroupState, request: WriteRequest): WritePlan {
  switch (request.op) {
    case 'put':
    case 'post': {
      const { record, errors } = state.prepare(request.labels, request.families, request.op === 'put', request.timeMs, request.check);
      if (errors.length === 0) return { result: { deleted: 0 }, set: [record], deleted: [] };
      return { result: { deleted: 0, error: formatErrors(errors) }, set: [state.failed(request.labels, request.timeMs)], deleted: [] };
    }
    case 'delete': {
      const key = groupingKeyOf(request.labels);
      const deleted = state.get(key) === undefined ? [] : [key];
      return { result: { deleted: deleted.length }, set: [], deleted };
    }
    case 'delete_matching':
      return deletion(state.matching(request.matchers));
    case 'wipe':
      return deletion(state.all().map((g) => g.key));
    case 'expire':
      return deletion(state.olderThan(request.beforeMs));
  }
}

/** Applies a plan computed by {@link planWrite} against the same state. */
export function applyPlan(state: GroupState, plan: WritePlan): void {
  for (const key of plan.deleted) state.delete(key);
  for (const record of plan.set) state.set(record);
}

function deletion(keys: string[]): WritePlan {
  return { result: { deleted: keys.length }, set: [], deleted: keys };
}

/** client_golang's MultiError text: the error itself when alone, otherwise a counted bullet list. */
function formatErrors(errors: readonly string[]): string {
  if (errors.length === 1) return errors[0]!;
  return `${errors.length} error(s) occurred:` + errors.map((e) => `\n* ${e}`).join('');
}
