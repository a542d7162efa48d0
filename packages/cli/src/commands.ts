import { existsSync } from 'node:fs';
import { FlagError, FlagSet, type FlagSpec, type ParsedFlags } from './flags.js';

/** A positional argument of a command (kingpin's `Arg`). */
export interface ArgSpec {
  name: string;
  help: string;
  required?: boolean;
  /** Takes every remaining positional argument (kingpin's `Strings`, `ExistingFiles`). Only the last argument may. */
  repeated?: boolean;
  /** Each value must name an existing path (kingpin's `ExistingFile(s)`). */
  existingFile?: boolean;
}

/**
 * A command of a command-line tool, or the tool itself at the root: its flags (in force from the
 * point the command is selected, together with its parents'), and either subcommands or
 * positional arguments.
 */
export interface CommandSpec {
  name: string;
  help: string;
  flags?: readonly FlagSpec[];
  args?: readonly ArgSpec[];
  commands?: readonly CommandSpec[];
}

/** What {@link parseCommandLine} found. */
export interface ParsedCommandLine {
  /** The selected command's path from the root, e.g. `['test', 'rules']`; empty when none was given. */
  readonly command: readonly string[];
  /** Values of the root's flags and of every selected command's. */
  readonly flags: ParsedFlags;
  /** Positional arguments by name; a repeated argument holds every value, others at most one. */
  readonly args: ReadonlyMap<string, readonly string[]>;
  /**
   * `--help`, `-h` or the `help` command was given: the caller prints the usage of `command` and
   * exits 0. Nothing else was checked then (required arguments, files).
   */
  readonly help: boolean;
}

/**
 * Parses `argv` against a command tree the way kingpin does: flags anywhere after the command
 * that declares them (`--name=value`, `--name value`, `--[no-]bool`, `-x value`), commands by
 * name, then positional arguments in order, `--` ending the flags. A mistake throws
 * {@link FlagError} with kingpin's wording: `unknown long flag '--x'`, `expected command but got
 * "x"`, `must select a subcommand of 'check'`, `required argument 'files' not provided`,
 * `required flag(s) '--match' not provided`, `unexpected argument 'x'`, `path 'x' does not exist`.
 */
export function parseCommandLine(root: CommandSpec, argv: readonly string[]): ParsedCommandLine {
  const flags = new FlagSet(root.flags);
  const path: string[] = [];
  const positionals: string[] = [];
  let current = root;
  let help = false;
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!onlyPositionals && (arg === '--help' || arg === '-h')) help = true;
    else if (!onlyPositionals && arg === '--') onlyPositionals = true;
    else if (!onlyPositionals && arg.startsWith('-') && arg !== '-') i = flags.take(argv, i);
    else if (current.commands !== undefined && current.commands.length > 0) {
      if (current === root && arg === 'help') {
        help = true;
        path.push(...argv.slice(i + 1).filter((a) => !a.startsWith('-')));
        break;
      }
      const next = current.commands.find((c) => c.name === arg);
      if (next === undefined) throw new FlagError(`expected command but got ${JSON.stringify(arg)}`);
      current = next;
      path.push(next.name);
      flags.add(next.flags ?? []);
    } else positionals.push(arg);
  }
  if (help) return { command: path, flags: flags.parsed(), args: new Map(), help: true };
  if (current !== root && current.commands !== undefined && current.commands.length > 0) throw new FlagError(`must select a subcommand of '${path.join(' ')}'`);
  flags.checkRequired();
  return { command: path, flags: flags.parsed(), args: assignArgs(current.args ?? [], positionals), help: false };
}

function assignArgs(specs: readonly ArgSpec[], positionals: readonly string[]): Map<string, string[]> {
  const args = new Map<string, string[]>();
  let next = 0;
  for (const spec of specs) {
    const values = spec.repeated ? positionals.slice(next) : positionals.slice(next, next + 1);
    next += values.length;
    if (values.length === 0 && spec.required) throw new FlagError(`required argument '${spec.name}' not provided`);
    if (spec.existingFile) for (const v of values) if (!existsSync(v)) throw new FlagError(`path '${v}' does not exist`);
    args.set(spec.name, values);
  }
  if (next < positionals.length) throw new FlagError(`unexpected argument '${positionals[next]!}'`);
  return args;
}

/**
 * A kingpin-like help text for the command at `path` (the root when empty): the usage line, its
 * help, the flags in force there (the root's and every command's on the way), its arguments and
 * its subcommands.
 */
export function commandUsage(program: string, root: CommandSpec, path: readonly string[]): string {
  const chain = [root];
  for (const name of path) {
    const next = chain.at(-1)!.commands?.find((c) => c.name === name);
    if (next === undefined) break;
    chain.push(next);
  }
  const command = chain.at(-1)!;
  const words = chain.slice(1).map((c) => c.name);
  const args = (command.args ?? []).map((a) => (a.required ? `<${a.name}>${a.repeated ? '...' : ''}` : `[<${a.name}>${a.repeated ? '...' : ''}]`));
  const tail = command.commands?.length ? ['<command> [<args> ...]'] : args;
  const lines = [`usage: ${[program, ...words, '[<flags>]', ...tail].join(' ')}`, '', command.help, '', 'Flags:', '  -h, --help  Show context-sensitive help.'];
  for (const spec of chain.flatMap((c) => c.flags ?? [])) {
    const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
    const value = spec.type === 'bool' ? '' : `=${spec.type === 'enum' ? (spec.values ?? []).join('|') : `<${spec.type}>`}${spec.repeatable ? ' ...' : ''}`;
    const dflt = spec.default !== undefined && spec.default !== '' && spec.type !== 'bool' ? ` (default: ${spec.default})` : '';
    lines.push(`  ${short}--${spec.type === 'bool' ? '[no-]' : ''}${spec.name}${value}`, `        ${spec.help}${dflt}`);
  }
  if (command.args?.length) lines.push('', 'Args:', ...command.args.map((a) => `  <${a.name}>  ${a.help}`));
  if (command.commands?.length) lines.push('', 'Commands:', ...listCommands(command.commands, words));
  return lines.join('\n') + '\n';
}

function listCommands(commands: readonly CommandSpec[], prefix: readonly string[]): string[] {
  return commands.flatMap((c) => (c.commands?.length ? listCommands(c.commands, [...prefix, c.name]) : [`  ${[...prefix, c.name].join(' ')}`, `    ${c.help}`, '']));
}
