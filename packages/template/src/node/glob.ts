import { lstatSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TemplateError } from '../errors.js';

/**
 * Go's `filepath.Glob`: `*`, `?`, `[…]` (with `^` negation and ranges) and `\` escapes in any
 * path element, matches sorted per directory, unreadable directories skipped. A malformed pattern
 * throws {@link TemplateError} `load` (`syntax error in pattern`).
 */
export function goGlob(pattern: string): string[] {
  checkPattern(pattern);
  if (!hasMeta(pattern)) return exists(pattern) ? [pattern] : [];
  const dir = dirname(pattern);
  const file = basename(pattern);
  const dirs = hasMeta(dir) ? goGlob(dir) : [dir];
  return dirs.flatMap((d) => matchesIn(d, file));
}

function matchesIn(dir: string, pattern: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .sort()
    .filter((name) => goMatch(pattern, name))
    .map((name) => join(dir, name));
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function hasMeta(path: string): boolean {
  return /[*?[\\]/.test(path);
}

function checkPattern(pattern: string): void {
  for (const element of pattern.split('/')) goMatch(element, '');
}

/** Go's `filepath.Match` for one path element. */
export function goMatch(pattern: string, name: string): boolean {
  const matched = matchFrom(pattern, 0, name, 0);
  // Like Go, a mismatch still reports a malformed pattern.
  if (!matched) validateRest(pattern, 0);
  return matched;
}

function matchFrom(p: string, pi: number, s: string, si: number): boolean {
  while (pi < p.length) {
    const c = p[pi]!;
    if (c === '*') {
      while (p[pi] === '*') pi++;
      if (pi === p.length) return !s.slice(si).includes('/');
      for (let k = si; k <= s.length; k++) {
        if (k > si && s[k - 1] === '/') break;
        if (matchFrom(p, pi, s, k)) return true;
      }
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      if (s[si] === '/') return false;
      pi++;
      si += s.codePointAt(si)! > 0xffff ? 2 : 1;
      continue;
    }
    if (c === '[') {
      const { matched, next } = matchClass(p, pi, String.fromCodePoint(s.codePointAt(si)!));
      if (!matched) return false;
      pi = next;
      si += s.codePointAt(si)! > 0xffff ? 2 : 1;
      continue;
    }
    let literal = c;
    if (c === '\\') {
      pi++;
      if (pi >= p.length) throw badPattern();
      literal = p[pi]!;
    }
    if (s[si] !== literal) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

function validateRest(p: string, pi: number): void {
  for (let i = pi; i < p.length; i++) {
    if (p[i] === '\\') {
      if (i + 1 >= p.length) throw badPattern();
      i++;
    } else if (p[i] === '[') i = matchClass(p, i, '').next - 1;
  }
}

/** Matches `ch` against the class starting at `p[start] === '['`; returns where the class ends. */
function matchClass(p: string, start: number, ch: string): { matched: boolean; next: number } {
  let i = start + 1;
  const negated = p[i] === '^';
  if (negated) i++;
  let matched = false;
  let first = true;
  while (first || p[i] !== ']') {
    first = false;
    const lo = classChar(p, i);
    i = lo.next;
    let hi = lo;
    if (p[i] === '-') {
      hi = classChar(p, i + 1);
      i = hi.next;
    }
    if (lo.ch <= ch && ch <= hi.ch) matched = true;
    if (i >= p.length) throw badPattern();
  }
  return { matched: matched !== negated, next: i + 1 };
}

function classChar(p: string, i: number): { ch: string; next: number } {
  let c = p[i];
  if (c === undefined || c === '-' || c === ']') throw badPattern();
  if (c === '\\') {
    i++;
    c = p[i];
    if (c === undefined) throw badPattern();
  }
  return { ch: c, next: i + 1 };
}

function badPattern(): TemplateError {
  return new TemplateError('load', 'syntax error in pattern');
}
