import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { conformanceDir, describeConformance, peer, type ConformanceCase, type ConformanceOutcome } from '@pyrometer/testkit';
import { describe, it } from 'vitest';
import { runPromtool } from '../src/app.js';
import { bufferIO } from '../src/io.js';

// Every row of shared/conformance/promtool-rules-unittest/expected.tsv: our promtool (in-process,
// as the binary runs it) must pass or fail each with the listed exit code; Debian's promtool 2.42
// runs the same rows as a cross-check of the expectations, where 2.42 has the feature.

const dir = conformanceDir('promtool-rules-unittest');

interface Row {
  readonly id: number;
  readonly file: string;
  readonly command: string;
  readonly options: string;
  readonly expected: string;
  readonly exit: number;
  readonly reason: string;
}

const rows: Row[] = readFileSync(join(dir, 'expected.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line, i) => {
    const [file, command, options, expected, exit, reason] = line.split('\t') as [string, string, string, string, string, string];
    return { id: i + 2, file, command, options, expected, exit: Number(exit), reason };
  });

const GO_API_ONLY = 'the promtool CLI always enables @ and negative offsets (Go API only)';

/** Why a row does not run for us. */
function ourSkip(row: Row): string | undefined {
  if (row.options.includes('Go API only')) return GO_API_ONLY;
  return undefined;
}

/** Why a row does not run under Debian's promtool 2.42 (older than the 3.9 release the rows come from). */
function debianSkip(row: Row): string | undefined {
  if (row.options.includes('Go API only')) return GO_API_ONLY;
  if (row.options.includes('--run')) return 'promtool 2.42 has no --run flag';
  if (row.options.includes('--ignore-unknown-fields')) return 'promtool 2.42 has no --ignore-unknown-fields flag';
  const missing: Record<string, string> = {
    'unittest.yml': 'promtool 2.42 has no histogram field in exp_samples',
    'start-time-test.yml': 'promtool 2.42 has no start_timestamp',
    'rules_run_no_fuzzy.yml': 'promtool 2.42 has no fuzzy_compare field (it would fail for that reason, not the listed one)',
    'no-test-group-interval.yml': 'promtool 2.42 gives a test group without interval a different default than 3.x',
    'features.yml': 'promtool 2.42 has no sort_by_label function',
  };
  return missing[row.file];
}

function argv(row: Row): string[] {
  return [...row.command.split(' '), ...(row.options === '-' ? [] : row.options.split(' ')), join(dir, row.file)];
}

function caseTitle(row: Row): string {
  return `line ${row.id}: ${row.command}${row.options === '-' ? '' : ` ${row.options}`} → ${row.expected}, exit ${row.exit} (${row.reason})`;
}

const files = [...new Set(rows.map((r) => r.file))];

function suite(title: string, skip: (row: Row) => string | undefined, exec: (args: string[]) => Promise<{ code: number; output: string }>) {
  return {
    title,
    files,
    cases: (file: string): ConformanceCase[] => rows.filter((r) => r.file === file).map((r) => ({ id: r.id, title: caseTitle(r), skip: skip(r) })),
    async run(file: string): Promise<ReadonlyMap<number, ConformanceOutcome>> {
      const outcomes = new Map<number, ConformanceOutcome>();
      for (const row of rows.filter((r) => r.file === file && skip(r) === undefined)) {
        const { code, output } = await exec(argv(row));
        outcomes.set(row.id, code === row.exit ? { status: 'passed' } : { status: 'failed', message: `exit ${code}, want ${row.exit}:\n${output}` });
      }
      return outcomes;
    },
  };
}

describeConformance(
  suite('promtool-rules-unittest (pyrometer-promtool)', ourSkip, async (args) => {
    const io = bufferIO();
    const code = await runPromtool(args, io);
    return { code, output: io.stdout() + io.stderr() };
  }),
);

const debian = peer('promtool', 'prometheus');
if (debian.path !== undefined) {
  const run = promisify(execFile);
  describeConformance(
    suite('promtool-rules-unittest (Debian promtool 2.42)', debianSkip, async (args) => {
      try {
        const { stdout, stderr } = await run(debian.path!, args);
        return { code: 0, output: stdout + stderr };
      } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code, output: e.stdout + e.stderr };
      }
    }),
  );
} else {
  describe.skip(`promtool-rules-unittest (Debian promtool 2.42) — ${debian.missingReason}`, () => {
    it.skip('every row', () => {});
  });
}
