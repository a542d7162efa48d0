import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { parseExpr } from './parser.js';
import { exprToString } from './printer.js';
import { parseSeriesDescription } from './series.js';

const ALL = { enableExperimentalFunctions: true, enableExperimentalDurationExpr: true, enableExtendedRangeSelectors: true };
const EVAL = /^eval(?:_\w+)?\s+(?:instant\s+at\s+\S+|range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+)\s+(.*)$/;

interface ScriptLines {
  file: string;
  queries: string[];
  series: string[];
}

/** The queries of `eval` lines and the series lines of `load` blocks of one promqltest script. */
function scan(file: string): ScriptLines {
  const out: ScriptLines = { file, queries: [], series: [] };
  let inLoad = false;
  for (const raw of readFileSync(join(conformanceDir('promql'), file), 'utf8').split('\n')) {
    const line = raw.trim();
    const m = EVAL.exec(line);
    if (m !== null) out.queries.push(m[1]!);
    if (line === '' || line.startsWith('#') || m !== null || /^(clear|expect|eval)/.test(line)) inLoad = false;
    else if (line.startsWith('load')) inLoad = true;
    else if (inLoad) out.series.push(line);
  }
  return out;
}

const scripts = readdirSync(conformanceDir('promql')).filter((f) => f.endsWith('.test')).sort().map(scan);

// Every query of Prometheus's own PromQL test suite parses (all features on) and its printed
// form parses back to the same text; every series line of a load block parses (floats and
// native histograms).
describe('conformance scripts', () => {
  it.each(scripts)('$file', ({ queries, series }) => {
    for (const q of queries) {
      const printed = exprToString(parseExpr(q, ALL));
      expect(exprToString(parseExpr(printed, ALL)), q).toBe(printed);
    }
    for (const line of series) expect(() => parseSeriesDescription(line), line).not.toThrow();
  });

  it('covers the suite', () => {
    expect(scripts.reduce((n, s) => n + s.queries.length, 0)).toBeGreaterThan(1500);
  });
});
