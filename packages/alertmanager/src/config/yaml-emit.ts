/**
 * A YAML value to write: scalars, a mapping with its keys in order, or a sequence (block style
 * unless `flow`). This is the shape go-yaml v2 writes Alertmanager's config structs in.
 */
export type YamlValue = string | number | boolean | null | YamlMap | YamlSeq;
export interface YamlMap {
  readonly map: readonly (readonly [string, YamlValue])[];
}
export interface YamlSeq {
  readonly seq: readonly YamlValue[];
  readonly flow?: boolean;
}

const isMap = (v: YamlValue): v is YamlMap => typeof v === 'object' && v !== null && 'map' in v;
const isSeq = (v: YamlValue): v is YamlSeq => typeof v === 'object' && v !== null && 'seq' in v;

/**
 * Writes a document the way go-yaml v2 (`yaml.Marshal`) does: two-space indentation, sequences
 * inside mappings not indented, `{}`/`[]` for empty collections, and libyaml's scalar styles —
 * plain when the text allows it and reads back as a string, else single-quoted, else
 * double-quoted; multi-line text as a literal block. Long lines are not folded (go-yaml folds at
 * 80 columns; the value read back is the same).
 */
export function emitYaml(value: YamlValue): string {
  if (isMap(value)) return value.map.length === 0 ? '{}\n' : blockMap(value, 0);
  if (isSeq(value)) return value.seq.length === 0 ? '[]\n' : blockSeq(value, 0);
  return scalar(value, 0) + '\n';
}

function blockMap(m: YamlMap, indent: number): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const [key, v] of m.map) out += pad + scalar(key, indent, { key: true }) + ':' + afterKey(v, indent);
  return out;
}

function afterKey(v: YamlValue, indent: number): string {
  if (isMap(v)) return v.map.length === 0 ? ' {}\n' : '\n' + blockMap(v, indent + 2);
  if (isSeq(v)) {
    if (v.seq.length === 0) return ' []\n';
    if (v.flow) return ' ' + flowSeq(v) + '\n';
    return '\n' + blockSeq(v, indent);
  }
  return ' ' + scalar(v, indent + 2) + '\n';
}

function blockSeq(s: YamlSeq, indent: number): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const item of s.seq) {
    if (isMap(item) && item.map.length > 0) out += pad + '- ' + blockMap(item, indent + 2).slice(indent + 2);
    else if (isSeq(item) && item.seq.length > 0 && !item.flow) out += pad + '- ' + blockSeq(item, indent + 2).slice(indent + 2);
    else out += pad + '-' + afterKey(item, indent);
  }
  return out;
}

function flowSeq(s: YamlSeq): string {
  return '[' + s.seq.map((v) => (isSeq(v) ? flowSeq(v) : isMap(v) ? flowMap(v) : scalar(v, 0, { flow: true }))).join(', ') + ']';
}

function flowMap(m: YamlMap): string {
  return '{' + m.map.map(([k, v]) => `${scalar(k, 0, { flow: true })}: ${isSeq(v) ? flowSeq(v) : isMap(v) ? flowMap(v) : scalar(v, 0, { flow: true })}`).join(', ') + '}';
}

/** One scalar in libyaml's style choice; `indent` is where a literal block's lines start. */
function scalar(v: string | number | boolean | null, indent: number, context: { key?: boolean; flow?: boolean } = {}): string {
  if (v === null) return 'null';
  if (typeof v !== 'string') return String(v);
  const a = analyze(v);
  if (v.includes('\n')) return a.blockAllowed && !context.key && !context.flow ? literal(v, indent) : doubleQuoted(v);
  if (resolvesToNonString(v)) return doubleQuoted(v);
  if (context.flow ? a.flowPlain : a.blockPlain) return v;
  return a.singleQuoted ? singleQuoted(v) : doubleQuoted(v);
}

function literal(v: string, indent: number): string {
  const chomp = !v.endsWith('\n') ? '-' : v.endsWith('\n\n') || v === '\n' ? '+' : '';
  const hint = v.startsWith(' ') || v.startsWith('\n') ? '2' : '';
  const body = v.endsWith('\n') ? v.slice(0, -1) : v;
  const pad = ' '.repeat(Math.max(indent, 2));
  return `|${hint}${chomp}\n` + body.split('\n').map((line) => (line === '' ? '' : pad + line)).join('\n');
}

function singleQuoted(v: string): string {
  return "'" + v.replace(/'/g, "''") + "'";
}

const ESCAPES: Record<string, string> = {
  '\0': '\\0', '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\x1b': '\\e',
  '"': '\\"', '\\': '\\\\', '\u0085': '\\N', '\u00a0': '\\_', '\u2028': '\\L', '\u2029': '\\P',
};

function doubleQuoted(v: string): string {
  let out = '"';
  for (const c of v) {
    const code = c.codePointAt(0)!;
    const esc = ESCAPES[c];
    if (esc !== undefined) out += esc;
    else if (isPrintable(code) && code !== 0xfeff) out += c;
    else if (code <= 0xff) out += '\\x' + code.toString(16).toUpperCase().padStart(2, '0');
    else if (code <= 0xffff) out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
    else out += '\\U' + code.toString(16).toUpperCase().padStart(8, '0');
  }
  return out + '"';
}

function isPrintable(code: number): boolean {
  return code === 0x0a || (code >= 0x20 && code <= 0x7e) || code === 0x85 || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

interface Analysis {
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  blockAllowed: boolean;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const isBreak = (c: string | undefined) => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlankOrEnd = (c: string | undefined) => c === undefined || isBlank(c) || isBreak(c);

/** libyaml's `yaml_emitter_analyze_scalar`: which scalar styles may write this text. */
function analyze(v: string): Analysis {
  if (v === '') return { flowPlain: false, blockPlain: false, singleQuoted: true, blockAllowed: false };
  const chars = [...v];
  let flowIndicators = v.startsWith('---') || v.startsWith('...');
  let blockIndicators = flowIndicators;
  let special = false;
  let lineBreaks = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false;
  let previousSpace = false, previousBreak = false;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const followedByWhitespace = isBlankOrEnd(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) flowIndicators = blockIndicators = true;
      if (c === '?' || c === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (c === '-' && followedByWhitespace) flowIndicators = blockIndicators = true;
    } else {
      if (',?[]{}'.includes(c)) flowIndicators = true;
      if (c === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (c === '#' && precededByWhitespace) flowIndicators = blockIndicators = true;
    }
    const code = c.codePointAt(0)!;
    if (!isPrintable(code) || code === 0xfeff) special = true;
    if (isBreak(c)) lineBreaks = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else {
      previousSpace = previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(c);
  }
  const a: Analysis = { flowPlain: true, blockPlain: true, singleQuoted: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.flowPlain = a.blockPlain = false;
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) a.flowPlain = a.blockPlain = a.singleQuoted = false;
  if (spaceBreak || special) a.flowPlain = a.blockPlain = a.singleQuoted = a.blockAllowed = false;
  if (lineBreaks) a.flowPlain = a.blockPlain = false;
  if (flowIndicators) a.flowPlain = false;
  if (blockIndicators) a.blockPlain = false;
  return a;
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const BOOLS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF']);
const SPECIAL_FLOATS = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN']);
const INT = /^[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = /^\d{4}-\d\d?-\d\d?([Tt ]|$)/;

/** go-yaml v2's `resolve`: text that would read back as something other than a string must be quoted. */
function resolvesToNonString(v: string): boolean {
  return NULLS.has(v) || BOOLS.has(v) || SPECIAL_FLOATS.has(v) || INT.test(v) || FLOAT.test(v) || BASE60.test(v) || TIMESTAMP.test(v);
}
