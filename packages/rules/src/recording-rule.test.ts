import { Engine } from '@pyrometer/promql';
import { parseExpr } from '@pyrometer/promql/parser';
import { MemoryStorage } from '@pyrometer/storage';
import { beforeAll, describe, expect, it } from 'vitest';
import { engineQueryFunc, queryFuncOf, type QueryFunc } from './query-func.js';
import { RecordingRule } from './recording-rule.js';
import { load } from './test-harness.js';

describe('RecordingRule', () => {
  const storage = new MemoryStorage();
  let query: QueryFunc;
  beforeAll(async () => {
    query = engineQueryFunc(new Engine(), storage);
    await load(storage, { 'metric{label_a="1",label_b="3"}': '1 2', 'metric{label_a="2",label_b="4"}': '10 20' }, 60_000);
  });
  const evalAt = (expr: string, labels: Record<string, string> = {}, ts = 60_000, limit = 0, queryOffset = 0) =>
    new RecordingRule('test_rule', parseExpr(expr), labels).eval({ ts, queryOffset, query, limit });
  const shown = (out: { metric: { toString(): string }; t: number; f: number }[]) => out.map((s) => [s.metric.toString(), s.t, s.f]);

  it('writes the result under its name with its labels overriding (upstream TestRuleEval)', async () => {
    expect(shown(await evalAt('metric', { label_a: 'x' }))).toEqual([
      ['{__name__="test_rule", label_a="x", label_b="3"}', 60_000, 2],
      ['{__name__="test_rule", label_a="x", label_b="4"}', 60_000, 20],
    ]);
  });

  it('an empty label value removes the label', async () => {
    expect(shown(await evalAt('metric{label_a="1"}', { label_b: '' }))).toEqual([['{__name__="test_rule", label_a="1"}', 60_000, 2]]);
  });

  it('a scalar result becomes one sample with only the name', async () => {
    expect(shown(await evalAt('1 + 1'))).toEqual([['{__name__="test_rule"}', 60_000, 2]]);
  });

  it('queries at ts - queryOffset and writes there', async () => {
    expect(shown(await evalAt('metric{label_a="2"}', {}, 90_000, 0, 60_000))).toEqual([['{__name__="test_rule", label_a="2", label_b="4"}', 30_000, 10]]);
  });

  it('fails when its labels make two samples equal (upstream TestRecordingRuleLimit / duplicate labelset)', async () => {
    await expect(evalAt('metric', { label_a: 'x', label_b: 'y' })).rejects.toThrow('vector contains metrics with the same labelset after applying rule labels');
  });

  it('fails beyond the limit', async () => {
    await expect(evalAt('metric', {}, 60_000, 2)).resolves.toHaveLength(2);
    await expect(evalAt('metric', {}, 60_000, 1)).rejects.toThrow('exceeded limit of 1 with 2 series');
  });

  it('fails on a result that is neither a vector nor a scalar', async () => {
    await expect(new RecordingRule('s', parseExpr('"text"'), {}).eval({ ts: 0, queryOffset: 0, query: queryFuncOf(async () => ({ type: 'string', t: 0, v: 'text' })), limit: 0 })).rejects.toThrow('rule result is not a vector or scalar');
  });
});
