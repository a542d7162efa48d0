import { parseDuration } from '@pyrometer/model';

/** The value kinds upstream binaries' flags use. */
export type FlagType = 'string' | 'bool' | 'duration' | 'bytes' | 'int' | 'enum';

/** One flag: its long name (without `--`), type, default (as text, as kingpin shows it) and help. */
export interface FlagSpec {
  name: string;
  type: FlagType;
  help: string;
  default?: string;
  /** Accepted values of an `enum` flag. */
  values?: readonly string[];
}

/** Parsed flag values: strings as given, bools, durations in ms, bytes and ints as numbers. */
export type FlagValue = string | boolean | number;

export interface ParsedFlags {
  /** Every flag with a value (given or defaulted); flags without default and not given are absent. */
  values: Map<string, FlagValue>;
  /** Names of the flags given on the command line. */
  given: Set<string>;
}

/** A command-line mistake; the message is what the binary prints before its usage hint. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
}

/**
 * Parses `argv` the way kingpin (upstream's flag library) does: `--name=value` or `--name value`,
 * booleans as `--name`, `--no-name` or `--name=true|false`. Unknown flags, missing values and bad
 * values throw {@link FlagError} naming the flag. Positional arguments are rejected.
 */
export function parseFlags(specs: readonly FlagSpec[], argv: readonly string[]): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const values = new Map<string, FlagValue>();
  const given = new Set<string>();
  for (const spec of specs) if (spec.default !== undefined) values.set(spec.name, convert(spec, spec.default));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new FlagError(`unexpected ${arg}`);
    const eq = arg.indexOf('=');
    let name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let text: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    let spec = byName.get(name);
    if (spec === undefined && name.startsWith('no-') && byName.get(name.slice(3))?.type === 'bool' && text === undefined) {
      name = name.slice(3);
      spec = byName.get(name)!;
      text = 'false';
    }
    if (spec === undefined) throw new FlagError(`unknown long flag '--${name}'`);
    if (text === undefined) {
      if (spec.type === 'bool') text = 'true';
      else {
        const next = argv[i + 1];
        if (next === undefined) throw new FlagError(`expected argument for flag '--${name}'`);
        text = next;
        i++;
      }
    }
    values.set(name, convert(spec, text));
    given.add(name);
  }
  return { values, given };
}

function convert(spec: FlagSpec, text: string): FlagValue {
  const bad = (what: string) => new FlagError(`invalid value ${JSON.stringify(text)} for flag '--${spec.name}': ${what}`);
  switch (spec.type) {
    case 'string':
      return text;
    case 'bool':
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw bad('expected true or false');
    case 'int': {
      if (!/^-?\d+$/.test(text)) throw bad('expected an integer');
      return Number(text);
    }
    case 'duration':
      try {
        return parseDuration(text);
      } catch (err) {
        throw bad((err as Error).message);
      }
    case 'bytes':
      return parseBytes(text, bad);
    case 'enum':
      if (spec.values?.includes(text)) return text;
      throw bad(`expected one of ${(spec.values ?? []).join(', ')}`);
  }
}

const BYTE_UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, PB: 1024 ** 5, EB: 1024 ** 6 };

/** Upstream's `units.Base2Bytes` syntax: `512MB`, `1GB`, `0` (units are powers of 1024). */
function parseBytes(text: string, bad: (what: string) => FlagError): number {
  const m = /^(\d+)(B|KB|MB|GB|TB|PB|EB)?$/i.exec(text);
  if (!m) throw bad('expected a size such as 512MB');
  return Number(m[1]) * (m[2] === undefined ? 1 : BYTE_UNITS[m[2].toUpperCase()]!);
}

/** A kingpin-like help text: the usage line, a description, and one entry per flag with its default. */
export function usage(program: string, description: string, specs: readonly FlagSpec[]): string {
  const lines = [`usage: ${program} [<flags>]`, '', description, '', 'Flags:', '  -h, --[no-]help  Show context-sensitive help.'];
  for (const spec of specs) {
    const flag = spec.type === 'bool' ? `--[no-]${spec.name}` : `--${spec.name}=${spec.type === 'enum' ? (spec.values ?? []).join('|') : spec.type.toUpperCase()}`;
    const dflt = spec.default !== undefined && spec.default !== '' && spec.type !== 'bool' ? ` (default: ${spec.default})` : '';
    lines.push(`  ${flag}`, `      ${spec.help}${dflt}`);
  }
  return lines.join('\n') + '\n';
}

/** Reads a typed value; the caller knows the flag's type from its spec. */
export function flagString(flags: ParsedFlags, name: string): string | undefined {
  const v = flags.values.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagNumber(flags: ParsedFlags, name: string): number | undefined {
  const v = flags.values.get(name);
  return typeof v === 'number' ? v : undefined;
}

export function flagBool(flags: ParsedFlags, name: string): boolean {
  return flags.values.get(name) === true;
}
