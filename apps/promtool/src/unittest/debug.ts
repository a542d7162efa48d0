import { formatGoFloat } from '@pyrometer/model';
import type { Engine } from '@pyrometer/promql';
import type { Queryable } from '@pyrometer/storage';
import { GoDuration } from '@pyrometer/template';

/**
 * `--debug`'s dump of everything a test group stored (input series and rule output) up to its last
 * evaluation time, in upstream's text of a PromQL matrix: one block per series, `value @[ms]` lines.
 */
export async function debugDump(engine: Engine, storage: Queryable, mint: number, maxEvalTime: number, print: (line: string) => void): Promise<void> {
  // PromQL ranges are whole seconds: round the range up past the last evaluation time, as upstream.
  const seconds = Math.floor(maxEvalTime / 1000) + 1;
  const range = new GoDuration(BigInt(seconds) * 1_000_000_000n).toString();
  const expr = `{__name__=~".+"}[${range}]`;
  try {
    const { value } = await engine.instantQuery(storage, expr, mint + seconds * 1000).exec();
    if (value.type !== 'matrix') {
      print(`DEBUG: Got unexpected type ${value.type}`);
      return;
    }
    print(`DEBUG: Dump of all data (input_series and rules) at ${range}:`);
    print(value.series.map((s) => `${s.metric.toString()} =>\n${s.floats.map((p) => `${formatGoFloat(p.f, 'f')} @[${p.t}]`).join('\n')}`).join('\n'));
  } catch (err) {
    print(`DEBUG: Failed querying, expr: ${JSON.stringify(expr)}, err: ${(err as Error).message}`);
  }
}
