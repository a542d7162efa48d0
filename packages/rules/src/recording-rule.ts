import { METRIC_NAME_LABEL } from '@pyrometer/model';
import type { Sample } from '@pyrometer/promql';
import { stringify } from 'yaml';
import { RulesError } from './errors.js';
import { BaseRule, type RuleEvalContext } from './rule.js';

/**
 * A recording rule: evaluates its expression and writes the result under the rule's name, with the
 * rule's labels overriding the result's (an empty label value removes the label).
 */
export class RecordingRule extends BaseRule {
  readonly kind = 'recording';

  async eval(ctx: RuleEvalContext): Promise<Sample[]> {
    const vector = await ctx.query(this.query, ctx.ts - ctx.queryOffset, ctx.signal === undefined ? {} : { signal: ctx.signal });
    const seen = new Set<string>();
    for (const sample of vector) {
      const b = sample.metric.builder().set(METRIC_NAME_LABEL, this.name);
      for (const [name, value] of this.labelUpdates) b.set(name, value);
      sample.metric = b.labels();
      const key = sample.metric.key();
      if (seen.has(key)) throw new RulesError('duplicate_labelset', 'vector contains metrics with the same labelset after applying rule labels');
      seen.add(key);
    }
    if (ctx.limit > 0 && vector.length > ctx.limit) throw new RulesError('limit_exceeded', `exceeded limit of ${ctx.limit} with ${vector.length} series`);
    return vector;
  }

  definition(): string {
    return stringify({ record: this.name, expr: this.query, ...(this.labelUpdates.length > 0 && { labels: Object.fromEntries(this.labelUpdates) }) });
  }
}
