import type { BaseRule } from './rule.js';

/**
 * Decides which rules of a group may be evaluated at the same time (upstream's
 * `RuleConcurrencyController`). Slots are shared by every group of a manager, so the bound holds
 * across groups; a group's own in-line evaluation does not take one.
 */
export interface EvalConcurrency {
  /** Batches of rule indexes to run in order, each batch's rules together; undefined: one rule after another. */
  batches(rules: readonly BaseRule[]): number[][] | undefined;
  /** Takes a slot for one concurrent evaluation; false when none is free (the rule then runs in line). */
  tryAcquire(): boolean;
  /** Gives back a slot taken by `tryAcquire`. */
  release(): void;
}

/** Every rule after the previous one (the default, as upstream without `concurrent-rule-eval`). */
export function sequentialEvaluation(): EvalConcurrency {
  return { batches: () => undefined, tryAcquire: () => false, release: () => {} };
}

/**
 * Rules known to be independent run together, up to `maxConcurrent` at once across all groups
 * (upstream's `concurrent-rule-eval` with `--rules.max-concurrent-rule-evals`): first every rule that
 * reads no other rule's output, then one at a time those that both read and are read, then every
 * rule nobody reads.
 */
export function concurrentEvaluation(maxConcurrent: number): EvalConcurrency {
  let inUse = 0;
  return {
    batches(rules) {
      const noDependencies: number[] = [];
      const both: number[][] = [];
      const noDependents: number[] = [];
      rules.forEach((r, i) => {
        if (r.noDependencies()) noDependencies.push(i);
        else if (!r.noDependents()) both.push([i]);
        else noDependents.push(i);
      });
      return [...(noDependencies.length > 0 ? [noDependencies] : []), ...both, ...(noDependents.length > 0 ? [noDependents] : [])];
    },
    tryAcquire() {
      if (inUse >= maxConcurrent) return false;
      inUse++;
      return true;
    },
    release() {
      inUse--;
    },
  };
}
