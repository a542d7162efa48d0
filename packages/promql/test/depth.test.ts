import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { MAX_EXPRESSION_DEPTH, parseExpr } from '../src/parser/index.js';
import { SHAPES, walkEverything } from './deep-expressions.js';

// Deep expressions used to overflow the JavaScript stack ("Maximum call stack size exceeded")
// in the parser, the type check or the evaluator. Depth is now bounded by the parser, and every
// walk of a tree at the bound must succeed — also in a fresh process, where stack frames are
// largest.

const N = MAX_EXPRESSION_DEPTH;
const exactly = (name: string, depth: number) => (name.startsWith('subqueries') && depth % 2 === 0 ? depth - 1 : depth);

describe('expressions at the depth limit', () => {
  it.each(Object.keys(SHAPES))('%s: parse, print, pretty-print and evaluate', async (name) => {
    expect(await walkEverything(SHAPES[name]!(exactly(name, N)))).toBeUndefined();
  });

  it.each(['function calls', 'aggregations', 'subqueries in calls'])('%s: the same in a fresh process', async (name) => {
    const run = promisify(execFile);
    const fixture = join(import.meta.dirname, 'fixtures', 'walk-deep.ts');
    const { stdout } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', fixture, name, String(exactly(name, N))], { cwd: repoRoot() });
    expect(stdout).toBe('ok\n');
  });
});

describe('expressions beyond the depth limit', () => {
  it.each(Object.keys(SHAPES).filter((s) => !s.startsWith('subqueries')))('%s one level deeper is a parse error', (name) => {
    expect(() => parseExpr(SHAPES[name]!(N + 1), { enableExperimentalDurationExpr: true })).toThrow(`parse error: expression nested too deeply: more than ${N} levels`);
  });

  it.each([
    { name: 'up + up + … × 5,000', query: Array(5000).fill('up').join(' + ') },
    { name: '10,000 nested parentheses', query: '('.repeat(10_000) + 'up' + ')'.repeat(10_000) },
    { name: '100,000 nested calls', query: 'abs('.repeat(100_000) + 'up' + ')'.repeat(100_000) },
    { name: '100,000 unary signs', query: '-'.repeat(100_000) + '1' },
    { name: '100,000 nested duration parentheses', query: `up[${'('.repeat(100_000)}1s${')'.repeat(100_000)}]` },
  ])('$name: a parse error with a position, not a stack overflow', ({ query }) => {
    expect(() => parseExpr(query, { enableExperimentalDurationExpr: true })).toThrow(new RegExp(`^\\d+:\\d+: parse error: expression nested too deeply: more than ${N} levels$`));
  });
});
