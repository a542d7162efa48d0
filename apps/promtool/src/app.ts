import { writeFile } from 'node:fs/promises';
import { commandUsage, fatalErrorLine, FlagError, flagBool, flagString, flagStrings, parseCommandLine, versionText, type ParsedCommandLine } from '@pyrometer/cli';
import { PROMTOOL } from './command-line.js';
import { parseFeatures, type PromqlFeatures } from './features.js';
import type { PromtoolIO } from './io.js';
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
    const command = COMMANDS[line.command.join(' ')];
    if (command === undefined) throw new FlagError(`command ${line.command.join(' ')} is not implemented`);
    return await command({ line, features, io });
  } catch (err) {
    io.err(`${fatalErrorLine(PROGRAM, err, '')}\n`);
    return err instanceof FlagError ? 2 : 1;
  }
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
