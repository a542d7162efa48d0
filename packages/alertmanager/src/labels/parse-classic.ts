import { isValidUtf8 } from '@pyrometer/model';
import { RE2JS } from 're2js';
import { AlertmanagerError } from '../errors.js';
import { Matcher, type MatchType } from './matcher.js';

// Upstream's classic matcher syntax, compiled with RE2 so that no input can make it backtrack.
const CLASSIC = RE2JS.compile('^\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(=~|=|!=|!~)\\s*((?s).*?)\\s*$');

const bad = (message: string) => new AlertmanagerError('invalid_matcher', message);

/**
 * The classic parser (`pkg/labels.ParseMatchers`): an optional `{…}` around comma-separated
 * matchers; commas inside double quotes do not split.
 */
export function parseClassicMatchers(input: string): Matcher[] {
  let s = input.startsWith('{') ? input.slice(1) : input;
  if (s.endsWith('}')) s = s.slice(0, -1);
  const tokens: string[] = [];
  let token = '';
  let insideQuotes = false;
  let escaped = false;
  for (const c of s) {
    if (c === ',' && !insideQuotes) {
      tokens.push(token);
      token = '';
      continue;
    }
    if (c === '"') {
      if (!escaped) insideQuotes = !insideQuotes;
      else escaped = false;
    } else if (c === '\\') escaped = !escaped;
    else escaped = false;
    token += c;
  }
  if (token.trim() !== '') tokens.push(token.trim());
  return tokens.map(parseClassicMatcher);
}

/** The classic parser for one matcher (`pkg/labels.ParseMatcher`): unquoted values allowed, `\"`, `\\`, `\n` escapes. */
export function parseClassicMatcher(input: string): Matcher {
  const m = CLASSIC.matcher(input);
  if (!m.matches()) throw bad(`bad matcher format: ${input}`);
  const name = m.group(1)!;
  const op = m.group(2)! as MatchType;
  const raw = m.group(3) ?? '';
  let rawValue = raw;
  let expectTrailingQuote = false;
  if (rawValue.startsWith('"')) {
    rawValue = rawValue.slice(1);
    expectTrailingQuote = true;
  }
  if (!isValidUtf8(rawValue)) throw bad(`matcher value not valid UTF-8: ${raw}`);
  let value = '';
  let escaped = false;
  for (let i = 0; i < rawValue.length; i++) {
    const c = rawValue[i]!;
    if (escaped) {
      escaped = false;
      value += c === 'n' ? '\n' : c === '"' || c === '\\' ? c : '\\' + c;
      continue;
    }
    if (c === '\\') {
      if (i < rawValue.length - 1) escaped = true;
      else value += '\\';
    } else if (c === '"') {
      if (!expectTrailingQuote || i < rawValue.length - 1) throw bad(`matcher value contains unescaped double quote: ${raw}`);
      expectTrailingQuote = false;
    } else value += c;
  }
  if (expectTrailingQuote) throw bad(`matcher value contains unescaped double quote: ${raw}`);
  return new Matcher(op, name, value);
}
