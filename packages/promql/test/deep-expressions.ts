import { Labels } from '@pyrometer/model';
import { MemoryStorage } from '@pyrometer/storage';
import { Engine } from '../src/engine/engine.js';
import { exprToString, parseExpr } from '../src/parser/index.js';
import { prettyPrint } from '../src/parser/pretty.js';

/** Expressions whose syntax tree is exactly `depth` levels deep (`depth` odd for the subqueries). */
export const SHAPES: Readonly<Record<string, (depth: number) => string>> = {
  parentheses: (d) => '('.repeat(d - 1) + 'up' + ')'.repeat(d - 1),
  'function calls': (d) => 'abs('.repeat(d - 1) + 'up' + ')'.repeat(d - 1),
  aggregations: (d) => 'sum by (job) ('.repeat(d - 1) + 'up' + ')'.repeat(d - 1),
  'unary minus': (d) => '-'.repeat(d - 1) + 'up',
  'a left-associative sum': (d) => Array(d).fill('up').join(' + '),
  'a right-associative power': (d) => Array(d).fill('up').join(' ^ '),
  'set operations with matching': (d) => Array(d).fill('up').join(' and on(job) '),
  'subqueries in calls': (d) => 'max_over_time('.repeat((d - 1) / 2) + 'up' + '[5m:1m])'.repeat((d - 1) / 2),
  'a duration expression': (d) => 'max_over_time(up[' + Array(d - 2).fill('1s').join(' + ') + '])',
};

/**
 * Every walk of the tree a query meets: parse (with the type check), print, pretty-print, and
 * evaluation as an instant query (and as a range query when the result is a vector). Resolves
 * with the first failure, or undefined when all succeed.
 */
export async function walkEverything(query: string): Promise<string | undefined> {
  const storage = new MemoryStorage();
  const app = storage.appender();
  app.append(0, Labels.from({ __name__: 'up', job: 'a' }), 100_000, 1);
  await app.commit();
  const engine = new Engine({ timeout: 60_000, maxSamples: 1e9, experimental: { functions: false, durationExpr: true, extendedRangeSelectors: false } });
  let stage = 'parse';
  try {
    const expr = parseExpr(query, { enableExperimentalDurationExpr: true });
    stage = 'print';
    exprToString(expr);
    stage = 'pretty-print';
    prettyPrint(expr);
    stage = 'instant query';
    await engine.instantQuery(storage, query, 200_000).exec();
    stage = 'range query';
    if (!query.startsWith('max_over_time')) await engine.rangeQuery(storage, query, 100_000, 200_000, 50_000).exec();
    return undefined;
  } catch (err) {
    return `${stage}: ${(err as Error).message.slice(0, 200)}`;
  }
}
