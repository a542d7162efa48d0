import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryStorage } from '@pyrometer/storage';
import { conformanceDir, describeConformance } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { SKIP_LIST } from './skip-list.js';
import { promqlConformanceSuite, scriptCases } from './suite.js';

const dir = conformanceDir('promql');

// Prometheus's own PromQL script suite against the in-memory storage: every load and eval is a
// test; the cases named in the skip list are skipped tests carrying their reason.
describeConformance(promqlConformanceSuite('promqltest (MemoryStorage)', dir, () => new MemoryStorage()));

describe('promqltest skip list', () => {
  it.each(SKIP_LIST.filter((e) => e.lines !== undefined).map((e) => ({ ...e, name: `${e.file} (${e.reason.slice(0, 40)}…)` })))('$name names only cases of the file', ({ file, lines }) => {
    const caseLines = new Set(scriptCases(readFileSync(join(dir, file), 'utf8'), file).map((c) => c.id));
    expect(lines!.filter((l) => !caseLines.has(l))).toEqual([]);
  });
});
