import { writeFile } from 'node:fs/promises';
import { commandUsage, fatalErrorLine, FlagError, flagBool, flagNumber, flagString, flagStrings, parseCommandLine, versionText, type ParsedCommandLine } from '@pyrometer/cli';
import { checkConfigFiles } from './check/config.js';
import { parseLint, type LintOptions } from './check/lint-options.js';
import { checkMetrics } from './check/metrics.js';
import { checkExitCode, checkRuleFiles, checkRulesFromStdin } from './check/rules.js';
import { PROMTOOL } from './command-line.js';
import { parseFeatures, type PromqlFeatures } from './features.js';
import type { PromtoolIO } from './io.js';
import { apiClient, queryInstant, queryLabels, queryRange, querySeries } from './query/commands.js';
import { jsonPrinter, promqlPrinter, type Printer } from './query/print.js';
import { testRules } from './unittest/run-tests.js';

/** The version `--version` reports. */
export const VERSION = '0.1.0';
const PROGRAM = 'pyrometer-promtool';

/** What a command gets: the parsed command line, the PromQL features asked for, and where to write. */
interface CommandContext {
  readonly line: ParsedCommandLine;
  readonly features: PromqlFeatures;
  readonly io: PromtoolIO;
}

type Command = (ctx: CommandContext) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  'check config': runCheckConfig,
  'check rules': runCheckRules,
  'check metrics': ({ line, io }) => checkMetrics({ extended: flagBool(line.flags, 'extended'), lint: flagString(line.flags, 'lint') ?? 'all' }, io),
  'query instant': ({ line, io }) => queryInstant(apiClient(arg(line, 'server')), arg(line, 'expr'), flagString(line.flags, 'time'), printer(line), io),
  'query range': ({ line, io }) =>
    queryRange(apiClient(arg(line, 'server'), headers(flagStrings(line.flags, 'header'))), arg(line, 'expr'), { start: flagString(line.flags, 'start'), end: flagString(line.flags, 'end'), stepMs: flagNumber(line.flags, 'step') }, printer(line), io),
  'query series': ({ line, io }) => querySeries(apiClient(arg(line, 'server')), flagStrings(line.flags, 'match'), timeRange(line), printer(line), io),
  'query labels': ({ line, io }) => queryLabels(apiClient(arg(line, 'server')), arg(line, 'name'), flagStrings(line.flags, 'match'), timeRange(line), printer(line), io),
  'test rules': runTestRules,
};

/**
 * Runs promtool with `argv` (without the program name) and returns its exit code: 0 success, 1
 * failure, 3 lint problems made fatal, 2 a command-line mistake (one `error:` line, as kingpin
 * words it). Never throws for bad input.
 */
export async function runPromtool(argv: readonly string[], io: PromtoolIO): Promise<number> {
  let line: ParsedCommandLine;
  try {
    line = parseCommandLine(PROMTOOL, argv);
    if (flagBool(line.flags, 'version')) {
      io.out(versionText({ program: PROGRAM, version: VERSION }));
      return 0;
    }
    if (line.help || line.command.length === 0) {
      io.out(commandUsage(PROGRAM, PROMTOOL, line.command));
      return 0;
    }
    const { features, warnings } = parseFeatures(flagStrings(line.flags, 'enable-feature'));
    for (const w of warnings) io.out(`${w}\n`);
    return await COMMANDS[line.command.join(' ')]!({ line, features, io });
  } catch (err) {
    io.err(`${fatalErrorLine(PROGRAM, err, '')}\n`);
    return err instanceof FlagError ? 2 : 1;
  }
}

async function runCheckConfig({ line, features, io }: CommandContext): Promise<number> {
  const lint = lintOptions(line, true, io);
  const outcome = await checkConfigFiles(line.args.get('config-files') ?? [], { lint, ignoreUnknownFields: flagBool(line.flags, 'ignore-unknown-fields'), features, syntaxOnly: flagBool(line.flags, 'syntax-only'), agent: flagBool(line.flags, 'agent'), lookbackDelta: flagNumber(line.flags, 'query.lookback-delta') ?? 300_000 }, io);
  return checkExitCode(outcome, lint.fatal);
}

async function runCheckRules({ line, features, io }: CommandContext): Promise<number> {
  const lint = lintOptions(line, false, io);
  const options = { lint, ignoreUnknownFields: flagBool(line.flags, 'ignore-unknown-fields'), features };
  const files = line.args.get('rule-files') ?? [];
  return checkExitCode(files.length === 0 ? await checkRulesFromStdin(options, io) : await checkRuleFiles(files, options, io), lint.fatal);
}

function lintOptions(line: ParsedCommandLine, scrapeLints: boolean, io: PromtoolIO): LintOptions {
  const lint = parseLint(flagString(line.flags, 'lint') ?? '', flagBool(line.flags, 'lint-fatal'), scrapeLints);
  for (const option of lint.unknown) io.out(`WARNING: unknown lint option: ${JSON.stringify(option)}\n`);
  return lint;
}

function arg(line: ParsedCommandLine, name: string): string {
  return line.args.get(name)?.[0] ?? '';
}

function printer(line: ParsedCommandLine): Printer {
  return flagString(line.flags, 'format') === 'json' ? jsonPrinter : promqlPrinter;
}

function timeRange(line: ParsedCommandLine): { start: string | undefined; end: string | undefined } {
  return { start: flagString(line.flags, 'start'), end: flagString(line.flags, 'end') };
}

/** `--header name=value` values as headers; a value without `=` is a command-line mistake, as kingpin's StringMap makes it. */
function headers(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) throw new FlagError(`expected KEY=VALUE got '${v}'`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

async function runTestRules({ line, features, io }: CommandContext): Promise<number> {
  const { code, junit } = await testRules(line.args.get('test-rule-file') ?? [], { run: flagStrings(line.flags, 'run'), ignoreUnknownFields: flagBool(line.flags, 'ignore-unknown-fields'), debug: flagBool(line.flags, 'debug'), features }, io);
  const junitFile = flagString(line.flags, 'junit');
  if (junitFile !== undefined) {
    try {
      await writeFile(junitFile, junit.toXML());
    } catch (err) {
      io.err(`failed to write JUnit XML: ${(err as Error).message}\n`);
    }
  }
  return code;
}
