import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { ScratchError } from './errors.js';

/** A `RUN --mount=type=cache,target=…` mount: a directory kept between builds, never part of the image. */
export interface CacheMount {
  readonly id: string;
  readonly target: string;
}

/** One Dockerfile instruction the emulation executes, with its 1-based line for messages. */
export type Step =
  | { readonly kind: 'RUN'; readonly line: number; readonly shell: string; readonly cacheMounts: readonly CacheMount[] }
  | { readonly kind: 'COPY'; readonly line: number; readonly from: string | undefined; readonly chown: string | undefined; readonly sources: readonly string[]; readonly dest: string }
  | { readonly kind: 'WORKDIR'; readonly line: number; readonly path: string }
  | { readonly kind: 'ENV'; readonly line: number; readonly vars: ReadonlyArray<readonly [string, string]> }
  | { readonly kind: 'USER'; readonly line: number; readonly user: string }
  | { readonly kind: 'VOLUME'; readonly line: number; readonly paths: readonly string[] }
  | { readonly kind: 'EXPOSE'; readonly line: number; readonly ports: readonly number[] }
  | { readonly kind: 'ENTRYPOINT' | 'CMD' | 'HEALTHCHECK'; readonly line: number; readonly argv: readonly string[] };

/** A build stage: `FROM <base> AS <name>`, where base is an external image or an earlier stage. */
export interface Stage {
  readonly name: string;
  readonly base: string;
  readonly steps: readonly Step[];
}

/**
 * Parses a Dockerfile (dockerfile-ast does the lexing: continuations, flags, exec form) into the
 * steps the emulation runs. An instruction it cannot emulate faithfully is an error naming its
 * line, so the Dockerfile cannot drift away from what the test proves.
 */
export function parseDockerfile(text: string, file: string): Stage[] {
  const stages: { name: string; base: string; steps: Step[] }[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const line = instruction.getRange().start.line + 1;
    const keyword = instruction.getKeyword();
    const where = `${file}:${line}`;
    if (keyword === 'FROM') {
      const [base, as, name, ...rest] = instruction.getArguments().map((a) => a.getValue());
      if (base === undefined || as?.toUpperCase() !== 'AS' || name === undefined || rest.length > 0) throw unsupported(where, 'FROM without "AS <stage>"');
      stages.push({ name, base, steps: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) throw unsupported(where, `${keyword} before the first FROM`);
    stage.steps.push(parseStep(instruction, keyword, line, where));
  }
  return stages;
}

function parseStep(instruction: Instruction, keyword: string, line: number, where: string): Step {
  const args = instruction.getArguments().map((a) => a.getValue());
  const flags = new Map(flagsOf(instruction).map(([name, value]) => [name, value]));
  switch (keyword) {
    case 'RUN': {
      const content = instruction.getArgumentsContent() ?? '';
      if (content.startsWith('[')) throw unsupported(where, 'RUN in exec form');
      const cacheMounts = flagsOf(instruction)
        .filter(([name]) => name === 'mount')
        .map(([, value]) => cacheMount(value, where));
      return { kind: 'RUN', line, shell: content, cacheMounts };
    }
    case 'COPY': {
      for (const name of flags.keys()) if (name !== 'from' && name !== 'chown') throw unsupported(where, `COPY --${name}`);
      if (args.length < 2) throw unsupported(where, 'COPY needs a source and a destination');
      return { kind: 'COPY', line, from: flags.get('from'), chown: flags.get('chown'), sources: args.slice(0, -1), dest: args.at(-1)! };
    }
    case 'WORKDIR':
      return { kind: 'WORKDIR', line, path: args.join(' ') };
    case 'ENV': {
      const properties = (instruction as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties();
      return { kind: 'ENV', line, vars: properties.map((p) => [p.getName(), p.getValue() ?? ''] as const) };
    }
    case 'USER':
      return { kind: 'USER', line, user: args[0]! };
    case 'VOLUME':
      return { kind: 'VOLUME', line, paths: execForm(instruction, where, true) };
    case 'EXPOSE':
      return { kind: 'EXPOSE', line, ports: args.map((a) => Number(a.replace(/\/tcp$/, ''))) };
    case 'ENTRYPOINT':
    case 'CMD':
      return { kind: keyword, line, argv: execForm(instruction, where) };
    case 'HEALTHCHECK': {
      const content = instruction.getArgumentsContent() ?? '';
      const cmd = /^(?:--\S+\s+)*CMD\s+(\[.*\])$/s.exec(content);
      if (cmd === null) throw unsupported(where, 'HEALTHCHECK other than CMD in exec form');
      return { kind: 'HEALTHCHECK', line, argv: parseJsonArray(cmd[1]!, where) };
    }
    default:
      throw unsupported(where, keyword);
  }
}

function flagsOf(instruction: Instruction): [string, string][] {
  const withFlags = instruction as unknown as { getFlags?(): { getName(): string; getValue(): string | null }[] };
  return (withFlags.getFlags?.() ?? []).map((f) => [f.getName(), f.getValue() ?? '']);
}

function cacheMount(value: string, where: string): CacheMount {
  const options = new Map(value.split(',').map((kv) => kv.split('=') as [string, string]));
  const target = options.get('target') ?? options.get('dst') ?? options.get('destination');
  if (options.get('type') !== 'cache' || target === undefined) throw unsupported(where, `RUN --mount=${value} (only type=cache mounts are emulated)`);
  return { id: options.get('id') ?? target, target };
}

function execForm(instruction: Instruction, where: string, allowShellWords = false): string[] {
  const content = instruction.getArgumentsContent() ?? '';
  if (content.startsWith('[')) return parseJsonArray(content, where);
  if (allowShellWords) return content.split(/\s+/).filter(Boolean);
  throw unsupported(where, `${instruction.getKeyword()} in shell form (use the exec form, so signals reach the process)`);
}

function parseJsonArray(text: string, where: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw unsupported(where, `${text} is not a JSON array of strings`);
  return value;
}

function unsupported(where: string, what: string): ScratchError {
  return new ScratchError('unsupported-instruction', `${where}: the scratch-root emulation does not support ${what}`);
}
