import { Labels } from '@pyrometer/model';
import type { Sample } from '@pyrometer/promql';
import { exprToString, type Expr } from '@pyrometer/promql/parser';
import type { QueryFunc } from './query-func.js';

/** A rule's health after its last evaluation, as the API shows it. */
export const RuleHealth = { Unknown: 'unknown', Good: 'ok', Bad: 'err' } as const;
export type RuleHealth = (typeof RuleHealth)[keyof typeof RuleHealth];

/** What one rule evaluation needs from its group. Times in ms. */
export interface RuleEvalContext {
  /** The group's evaluation time for this round. */
  ts: number;
  /** The rule queries at `ts - queryOffset` and writes its samples there. */
  queryOffset: number;
  query: QueryFunc;
  /** Most series (recording) or alerts (alerting) the rule may produce; 0 means no limit. */
  limit: number;
  signal?: AbortSignal;
}

/**
 * What recording and alerting rules share: identity, the expression, and the record of the last
 * evaluation (health, error, timing) that the API and the metrics read. Evaluation itself is the
 * subclasses'; the group sets the record around each evaluation.
 */
export abstract class BaseRule {
  /** The expression as upstream prints it (`Expr.String()`): what is queried and shown. */
  readonly query: string;
  health: RuleHealth = RuleHealth.Unknown;
  lastError: Error | undefined = undefined;
  /** Wall time the last evaluation took, ms. */
  evaluationDuration = 0;
  /** Wall-clock time (ms) the last evaluation started, or undefined before the first. */
  evaluationTimestamp: number | undefined = undefined;
  /** The rule's labels merged over its group's (empty values dropped), as the API shows them and selectors match them. */
  readonly labels: Labels;
  /**
   * The same labels sorted by name with empty values kept: applied to each output series, where an
   * empty value removes the label.
   */
  readonly labelUpdates: readonly (readonly [string, string])[];
  /** Rules of the group that read this rule's output; undefined when unknown. */
  dependents: readonly BaseRule[] | undefined = undefined;
  /** Rules of the group whose output this rule reads; undefined when unknown. */
  dependencies: readonly BaseRule[] | undefined = undefined;

  constructor(
    /** The `record` or `alert` name. */
    readonly name: string,
    readonly expr: Expr,
    /** The rule's labels merged over its group's. */
    labels: Readonly<Record<string, string>>,
  ) {
    this.query = exprToString(expr);
    this.labels = Labels.from(labels);
    this.labelUpdates = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Evaluates the rule at `ctx.ts` and returns the samples to write. Rejects on failure. */
  abstract eval(ctx: RuleEvalContext): Promise<Sample[]>;

  /** A canonical text of the rule's definition; two rules are the same rule when these are equal. */
  abstract definition(): string;

  /** True when it is known that no other rule of the group reads this rule's output. */
  noDependents(): boolean {
    return this.dependents !== undefined && this.dependents.length === 0;
  }

  /** True when it is known that this rule reads no other rule's output. */
  noDependencies(): boolean {
    return this.dependencies !== undefined && this.dependencies.length === 0;
  }
}
