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
  /** A one-letter alias used as `-x value` or `-xvalue` (kingpin's `Short`). */
  short?: string;
  /** May be given several times; the values are collected in order (kingpin's `Strings`). String flags only. */
  repeatable?: boolean;
  /** Must be given (kingpin's `Required`): checked by `parseCommandLine`. */
  required?: boolean;
}

/** Parsed flag values: strings as given, bools, durations in ms, bytes and ints as numbers, lists of repeatable flags. */
export type FlagValue = string | boolean | number | readonly string[];

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
  const flags = new FlagSet(specs);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new FlagError(`unexpected ${arg}`);
    i = flags.take(argv, i);
  }
  return flags.parsed();
}

/**
 * The flags in force while a command line is read, and the values found so far: defaults first,
 * then each `--name[=value]`, `--no-name` or `-x[value]` token as it comes. Shared by
 * {@link parseFlags} and the command parser, which adds flags as commands are selected.
 */
export class FlagSet {
  private readonly byName = new Map<string, FlagSpec>();
  private readonly byShort = new Map<string, FlagSpec>();
  private readonly values = new Map<string, FlagValue>();
  private readonly given = new Set<string>();

  constructor(specs: readonly FlagSpec[] = []) {
    this.add(specs);
  }

  /** Brings more flags into force (a selected command's), with their defaults. */
  add(specs: readonly FlagSpec[]): void {
    for (const spec of specs) {
      this.byName.set(spec.name, spec);
      if (spec.short !== undefined) this.byShort.set(spec.short, spec);
      if (spec.repeatable) this.values.set(spec.name, spec.default === undefined || spec.default === '' ? [] : [spec.default]);
      else if (spec.default !== undefined) this.values.set(spec.name, convert(spec, spec.default));
    }
  }

  /** The flags in force. */
  specs(): FlagSpec[] {
    return [...new Set(this.byName.values())];
  }

  /** Reads the flag token at `argv[i]` (and its value when it is the next token); returns the index of the last token used. */
  take(argv: readonly string[], i: number): number {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) return this.takeShort(argv, i);
    const eq = arg.indexOf('=');
    let name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let text: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    let spec = this.byName.get(name);
    if (spec === undefined && name.startsWith('no-') && this.byName.get(name.slice(3))?.type === 'bool' && text === undefined) {
      name = name.slice(3);
      spec = this.byName.get(name)!;
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
    this.set(spec, text);
    return i;
  }

  /** Throws naming every required flag that was not given. */
  checkRequired(): void {
    const missing = this.specs().filter((s) => s.required && !this.given.has(s.name));
    if (missing.length > 0) throw new FlagError(`required flag(s) ${missing.map((s) => `'--${s.name}'`).join(', ')} not provided`);
  }

  parsed(): ParsedFlags {
    return { values: new Map(this.values), given: new Set(this.given) };
  }

  private takeShort(argv: readonly string[], i: number): number {
    const arg = argv[i]!;
    const spec = this.byShort.get(arg.slice(1, 2));
    if (spec === undefined) throw new FlagError(`unknown short flag '${arg.slice(0, 2)}'`);
    let text = arg.slice(2);
    if (spec.type === 'bool') {
      if (text !== '') throw new FlagError(`unknown short flag '-${text.slice(0, 1)}'`);
      text = 'true';
    } else if (text === '') {
      const next = argv[i + 1];
      if (next === undefined) throw new FlagError(`expected argument for flag '-${spec.short!}'`);
      text = next;
      i++;
    }
    this.set(spec, text);
    return i;
  }

  private set(spec: FlagSpec, text: string): void {
    if (spec.repeatable) {
      // The first given value replaces the default, as kingpin's accumulating flags do.
      const previous = this.given.has(spec.name) ? (this.values.get(spec.name) as readonly string[]) : [];
      this.values.set(spec.name, [...previous, text]);
    } else this.values.set(spec.name, convert(spec, text));
    this.given.add(spec.name);
  }
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

/** The values of a repeatable flag, in the order given (empty when none). */
export function flagStrings(flags: ParsedFlags, name: string): readonly string[] {
  const v = flags.values.get(name);
  return Array.isArray(v) ? v : [];
}
