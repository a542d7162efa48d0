import { timeParam } from '@pyrometer/http-api';
import { FormParams } from '../web/request.js';
import type { WireMatcher } from './matcher-wire.js';
import type { HttpTask, InstantBatchTask, StorageCall } from './protocol.js';

/** The selects a request is expected to make, and how the pool reports the ones it made. */
export interface PrefetchPlan {
  /** The selects to answer as the task is posted, before the worker asks (times of this request). */
  readonly calls: StorageCall[];
  /** Called once the task is done, with every select its worker asked for (prefetched or not). */
  learn(made: readonly StorageCall[]): void;
}

type SelectCall = Extract<StorageCall, { call: 'select' }>;

/** A select remembered for a request shape: its matchers and its time range relative to the request's. */
interface ShapeSelect {
  matchers: WireMatcher[];
  /** mint - start and maxt - end (ms). */
  fromStart: number;
  fromEnd: number;
}

/** A request shape's selects, and whether the last prediction for it missed. */
interface Shape {
  selects: ShapeSelect[];
  missed: boolean;
}

/** Request forms longer than this are not looked at here (this runs on the ingestion thread). */
const MAX_FORM_CHARS = 4096;
/** Shapes kept; past it the memory starts over. */
const MAX_SHAPES = 1024;

/**
 * Predicts the selects of a repeated query (`query`, `query_range`) so the pool can answer them as
 * it posts the task: the worker then finds its storage answers waiting instead of asking for them
 * and waiting for this thread in the middle of the query (two thread hand-offs, ~0.1–0.3 ms of a
 * small query; see the server README, "Fixed cost per query"). A dashboard repeats its queries with
 * the range moved on, so a request's shape is its route and every parameter but its times, and a
 * select is remembered with its range relative to the request's. The prediction costs this thread
 * nothing the query would not have cost it: the select is the one the worker would have asked for.
 * A shape whose selects differ twice in a row (an `@` modifier, a changing lookback) is no longer
 * predicted until it matches again, so a wrong guess costs at most one select per request.
 */
export class SelectPrefetch {
  private readonly shapes = new Map<string, Shape>();

  /** The plan for `task`, or undefined when it is not a query or its form cannot be read cheaply here. */
  plan(task: HttpTask): PrefetchPlan | undefined {
    const anchor = this.anchor(task);
    return anchor === undefined ? undefined : this.planAt(anchor);
  }

  /**
   * The plan for a rule batch: its queries are the shape, its time the anchor. A group's batch is
   * the same every round, so from its second round on its selects are answered in one step as the
   * task is posted, instead of one hand-off each way per select while the worker waits.
   */
  planBatch(task: InstantBatchTask): PrefetchPlan {
    return this.planAt({ key: `batch\n${task.queries.join('\n')}`, start: task.time, end: task.time });
  }

  private planAt(anchor: { key: string; start: number; end: number }): PrefetchPlan {
    const shape = this.shapes.get(anchor.key);
    const calls: SelectCall[] = shape === undefined || shape.missed ? [] : shape.selects.map((s) => ({ call: 'select', matchers: s.matchers, mint: anchor.start + s.fromStart, maxt: anchor.end + s.fromEnd }));
    return { calls, learn: (made) => this.learn(anchor, shape, calls, made) };
  }

  private learn(anchor: { key: string; start: number; end: number }, shape: Shape | undefined, predicted: readonly SelectCall[], made: readonly StorageCall[]): void {
    const selects = made.filter((c): c is SelectCall => c.call === 'select');
    if (shape !== undefined && !shape.missed && sameCalls(predicted, selects)) return;
    const remembered = selects.map((c) => ({ matchers: c.matchers, fromStart: c.mint - anchor.start, fromEnd: c.maxt - anchor.end }));
    if (this.shapes.size >= MAX_SHAPES) this.shapes.clear();
    // A miss stops the predictions for the shape until the same selects come twice in a row.
    this.shapes.set(anchor.key, { selects: remembered, missed: shape !== undefined && !sameShape(shape.selects, remembered) });
  }

  /** The request's shape key and its time range (ms): `start`/`end` of a range query, `time` (or now) of an instant one. */
  private anchor(task: HttpTask): { key: string; start: number; end: number } | undefined {
    if (task.route !== 'query' && task.route !== 'query_range') return undefined;
    if (task.search.length + (task.body?.byteLength ?? 0) > MAX_FORM_CHARS) return undefined;
    try {
      const form = FormParams.fromParts(task.search, task.body === undefined ? undefined : new Uint8Array(task.body));
      const times = task.route === 'query' ? ['time'] : ['start', 'end'];
      const start = timeParam(times[0]!, form.get(times[0]!), task.now);
      const end = task.route === 'query' ? start : timeParam('end', form.get('end'), NaN);
      if (!Number.isFinite(start) || !Number.isFinite(end)) return undefined;
      const rest = form.entries().filter(([name]) => !times.includes(name));
      return { key: `${task.route}\n${JSON.stringify(rest)}`, start, end };
    } catch {
      return undefined; // the worker answers the bad parameter
    }
  }
}

/** A storage call's identity, whatever the order its object's properties were set in (the worker and this thread build them apart). */
export function storageCallKey(c: StorageCall): string {
  switch (c.call) {
    case 'select':
      return `select ${c.mint} ${c.maxt} ${JSON.stringify(c.matchers)}`;
    case 'labelValues':
      return `labelValues ${c.mint} ${c.maxt} ${c.limit} ${JSON.stringify(c.name)} ${JSON.stringify(c.matchers ?? null)}`;
    case 'labelNames':
      return `labelNames ${c.mint} ${c.maxt} ${c.limit} ${JSON.stringify(c.matchers ?? null)}`;
    case 'startTime':
      return 'startTime';
  }
}

/** Whether the selects `made` are the `predicted` ones, in any order (compared field by field: this runs for every predicted request). */
function sameCalls(predicted: readonly SelectCall[], made: readonly SelectCall[]): boolean {
  return sameItems(predicted, made, sameCall);
}

function sameShape(a: readonly ShapeSelect[], b: readonly ShapeSelect[]): boolean {
  return sameItems(a, b, sameShapeSelect);
}

// Module-level comparators, not closures made per request: V8 keeps a closure's optimized code only while it lives (README, "Closures on a query's path").
function sameCall(a: SelectCall, b: SelectCall): boolean {
  return a.mint === b.mint && a.maxt === b.maxt && sameMatchers(a.matchers, b.matchers);
}

function sameShapeSelect(x: ShapeSelect, y: ShapeSelect): boolean {
  return x.fromStart === y.fromStart && x.fromEnd === y.fromEnd && sameMatchers(x.matchers, y.matchers);
}

/** Whether `a` and `b` are as long and every item of `b` equals one of `a` (a query makes a few selects: quadratic is cheap). */
function sameItems<T>(a: readonly T[], b: readonly T[], equal: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (const y of b) if (!includes(a, y, equal)) return false;
  return true;
}

function includes<T>(a: readonly T[], y: T, equal: (x: T, y: T) => boolean): boolean {
  for (const x of a) if (equal(x, y)) return true;
  return false;
}

/** Whether two wire matcher lists are the same, in the same order (a selector's text gives one order). */
function sameMatchers(a: readonly WireMatcher[], b: readonly WireMatcher[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.op !== y.op || x.name !== y.name) return false;
    // Narrows `y` as the check above already did.
    const same = x.op === 'in' ? y.op === 'in' && x.negate === y.negate && sameStrings(x.values, y.values) : y.op !== 'in' && x.value === y.value;
    if (!same) return false;
  }
  return true;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
