import { parseDuration } from '@pyrometer/model';

/** `expect <kind> [msg: text | regex: re]`; a bare expect matches anything. */
export interface Expectation {
  readonly kind: 'fail' | 'warn' | 'info' | 'no_warn' | 'no_info' | 'ordered';
  readonly message?: string;
  readonly regex?: RegExp;
}

/** A line of a load block or an expected result, kept raw and parsed when the case runs. */
export interface SeriesLine {
  readonly line: number;
  readonly text: string;
  /** 1-based position among the result lines, for `ordered` checks. */
  readonly position: number;
}

export interface LoadCommand {
  readonly kind: 'load';
  readonly line: number;
  /** Interval between the values of a series line, ms. */
  readonly step: number;
  readonly withNHCB: boolean;
  readonly series: SeriesLine[];
}

export interface ClearCommand {
  readonly kind: 'clear';
  readonly line: number;
}

/** One `eval` block. Times are ms since the epoch; for instant evals `start === end` and `step === 0`. */
export interface EvalCommand {
  readonly kind: 'eval';
  readonly line: number;
  readonly expr: string;
  readonly instant: boolean;
  start: number;
  end: number;
  step: number;
  /** The instant evaluation time (differs from `end` only with `expect range vector`). */
  readonly at: number;
  ordered: boolean;
  fail: boolean;
  warn: boolean;
  info: boolean;
  readonly expectations: Expectation[];
  expectRangeVector: boolean;
  excludeFromRangeQuery: boolean;
  expectedString: string | undefined;
  expectedScalar: number | undefined;
  readonly expected: SeriesLine[];
  expectedFailMessage: string | undefined;
  expectedFailRegexp: RegExp | undefined;
}

export type Command = LoadCommand | ClearCommand | EvalCommand;

/** A script that could not be read; `line` is 1-based. */
export class ScriptError extends Error {
  override readonly name = 'ScriptError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const PAT_LOAD = /^load(?:_(with_nhcb))?\s+(.+?)$/;
const PAT_EVAL_INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const PAT_EVAL_RANGE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const PAT_EXPECT = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$/;
const PAT_EXPECT_RANGE = /^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$/;

function duration(s: string, line: number, what: string): number {
  try {
    return parseDuration(s);
  } catch (err) {
    throw new ScriptError(line, `invalid ${what} ${JSON.stringify(s)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Go's ParseInt(s, 0, 64) then ParseFloat: `0x1f`, `0o17`, `017` (octal), `1e3`, `Inf`, `NaN`. */
export function parseNumber(s: string): number | undefined {
  const neg = s.startsWith('-');
  const body = s.replace(/^[+-]/, '');
  let v: number | undefined;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) v = parseInt(body.slice(2), 16);
  else if (/^0[oO][0-7]+$/.test(body)) v = parseInt(body.slice(2), 8);
  else if (/^0[bB][01]+$/.test(body)) v = parseInt(body.slice(2), 2);
  else if (/^0[0-7]+$/.test(body)) v = parseInt(body, 8);
  else if (/^\d+$/.test(body)) v = Number(body);
  else if (/^(inf|infinity)$/i.test(body)) v = Infinity;
  else if (/^nan$/i.test(body)) v = NaN;
  else if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) v = Number(body);
  if (v === undefined) return undefined;
  return neg ? -v : v;
}

/** Go's strconv.Unquote for "…" and `…` literals (the escapes the suite uses). */
function unquote(s: string): string | undefined {
  if (s.length >= 2 && s.startsWith('`') && s.endsWith('`')) return s.slice(1, -1);
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    try {
      return JSON.parse(s) as string;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Reads a promqltest script (compat-checklist.md §7): trimmed lines, `#` comment lines blanked,
 * blank lines ending blocks. Throws {@link ScriptError} for malformed commands.
 */
export function readScript(text: string): Command[] {
  const lines = text.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  const cmds: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') continue;
    const word = l.split(/[\t ]+/, 1)[0]!.toLowerCase();
    if (word === 'clear') cmds.push({ kind: 'clear', line: i + 1 });
    else if (word.startsWith('load')) {
      const m = PAT_LOAD.exec(l);
      if (m === null) throw new ScriptError(i + 1, 'invalid load command. (load[_with_nhcb] <step:duration>)');
      const cmd: LoadCommand = { kind: 'load', line: i + 1, step: duration(m[2]!, i + 1, 'step definition'), withNHCB: m[1] === 'with_nhcb', series: [] };
      while (i + 1 < lines.length && lines[i + 1] !== '') {
        i++;
        cmd.series.push({ line: i + 1, text: lines[i]!, position: cmd.series.length + 1 });
      }
      cmds.push(cmd);
    } else if (word.startsWith('eval')) i = readEval(lines, i, cmds);
    else throw new ScriptError(i + 1, `invalid command ${JSON.stringify(l)}`);
  }
  return cmds;
}

function readEval(lines: string[], i: number, cmds: Command[]): number {
  const l = lines[i]!;
  const inst = PAT_EVAL_INSTANT.exec(l);
  const rng = inst === null ? PAT_EVAL_RANGE.exec(l) : null;
  if (inst === null && rng === null) throw new ScriptError(i + 1, "invalid evaluation command. Must be either 'eval[_fail|_warn|_ordered] instant [at <offset:duration>] <query>' or 'eval[_fail|_warn] range from <from> to <to> step <step> <query>'");
  const line = i + 1;
  let cmd: EvalCommand;
  const base = {
    kind: 'eval' as const,
    line,
    ordered: false,
    fail: false,
    warn: false,
    info: false,
    expectations: [],
    expectRangeVector: false,
    excludeFromRangeQuery: false,
    expectedString: undefined,
    expectedScalar: undefined,
    expected: [],
    expectedFailMessage: undefined,
    expectedFailRegexp: undefined,
  };
  let mod: string | undefined;
  if (inst !== null) {
    const at = duration(inst[2] ?? '', line, 'timestamp definition');
    cmd = { ...base, expr: inst[3]!, instant: true, start: at, end: at, step: 0, at };
    mod = inst[1];
  } else {
    const from = duration(rng![2]!, line, 'start timestamp definition');
    const to = duration(rng![3]!, line, 'end timestamp definition');
    if (to < from) throw new ScriptError(line, `invalid test definition, end timestamp (${rng![3]}) is before start timestamp (${rng![2]})`);
    cmd = { ...base, expr: rng![5]!, instant: false, start: from, end: to, step: duration(rng![4]!, line, 'step definition'), at: from };
    mod = rng![1];
  }
  if (mod === 'ordered') cmd.ordered = true;
  if (mod === 'fail') cmd.fail = true;
  if (mod === 'warn') cmd.warn = true;
  if (mod === 'info') cmd.info = true;
  let position = 0;
  while (i + 1 < lines.length && lines[i + 1] !== '') {
    i++;
    const def = lines[i]!;
    if (cmd.fail && def.startsWith('expected_fail_message')) {
      cmd.expectedFailMessage = def.slice('expected_fail_message'.length).trim();
      break;
    }
    if (cmd.fail && def.startsWith('expected_fail_regexp')) {
      cmd.expectedFailRegexp = new RegExp(def.slice('expected_fail_regexp'.length).trim());
      break;
    }
    if (def.startsWith('expect range vector')) {
      const m = PAT_EXPECT_RANGE.exec(def);
      if (m === null) throw new ScriptError(i + 1, `invalid range vector definition ${JSON.stringify(def)}`);
      cmd.start = duration(m[1]!, i + 1, 'start timestamp definition');
      cmd.end = duration(m[2]!, i + 1, 'end timestamp definition');
      cmd.step = duration(m[3]!, i + 1, 'step definition');
      cmd.expectRangeVector = true;
      cmd.excludeFromRangeQuery = true;
      continue;
    }
    if (def.startsWith('expect string')) {
      const s = unquote(def.slice('expect string'.length).trim());
      if (s === undefined) throw new ScriptError(i + 1, 'expected string literal not valid - check that the string is correctly quoted');
      cmd.expectedString = s;
      cmd.excludeFromRangeQuery = true;
      continue;
    }
    if (def.split(' ')[0] === 'expect') {
      const m = PAT_EXPECT.exec(def);
      if (m === null) throw new ScriptError(i + 1, 'invalid expect statement, must match `expect <type> <match_type>: <string>` format');
      const kind = m[1] as Expectation['kind'];
      const e: Expectation = m[2] === 'msg' ? { kind, message: m[3]!.trim() } : m[2] === 'regex' ? { kind, regex: new RegExp(m[3]!.trim()) } : { kind, regex: /^.*$/s };
      cmd.expectations.push(e);
      if (kind === 'ordered') cmd.ordered = true;
      continue;
    }
    const n = parseNumber(def);
    if (n !== undefined) {
      cmd.expectedScalar = n;
      break;
    }
    position++;
    cmd.expected.push({ line: i + 1, text: def, position });
  }
  const kinds = cmd.expectations.map((e) => e.kind);
  if (kinds.includes('info') && kinds.includes('no_info')) throw new ScriptError(line, 'invalid expect lines, info and no_info cannot be used together');
  if (kinds.includes('warn') && kinds.includes('no_warn')) throw new ScriptError(line, 'invalid expect lines, warn and no_warn cannot be used together');
  if (kinds.filter((k) => k === 'fail').length > 1) throw new ScriptError(line, 'invalid expect lines, multiple expect fail lines are not allowed');
  cmds.push(cmd);
  return i;
}
