import { escapePath, percentDecode } from './percent.js';

/** A request's target as handlers see it: the path decoded and clean, the query as sent. */
export interface RequestTarget {
  /**
   * The percent-decoded path, clean in Go's `path.Clean` sense (no `//`, `.` or `..` segments),
   * e.g. `/api/v1/label/job/values`; invalid UTF-8 bytes are lone surrogates. Routes match on
   * it, as Go's ServeMux and upstream's routers match on `r.URL.Path`.
   */
  path: string;
  /** The query string as sent, without the `?` ('' when there is none). */
  rawQuery: string;
}

/** What to do with a request target: serve it, redirect to its clean form (301), or refuse it (400). */
export type TargetOutcome = { target: RequestTarget } | { redirect: string } | { error: string };

const ABSOLUTE_FORM = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?]*/;

/**
 * Reads a request target (`req.url`) as Go's server and ServeMux do: the absolute form
 * (`http://host/path`) is reduced to its path; a path that does not start with `/` or holds a
 * malformed `%` escape is refused with a message naming it; a path that is not clean (`//`,
 * `/./`, `/../`, also when written `%2E%2E`) is redirected to its clean form with the query kept,
 * so `/metrics/job/..` never reaches a handler as a group named "..".
 */
export function parseRequestTarget(raw: string): TargetOutcome {
  const target = raw.replace(ABSOLUTE_FORM, '') || '/';
  if (!target.startsWith('/')) return { error: `invalid request target ${quote(target)}: it must start with "/"` };
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  const path = percentDecode(rawPath, false);
  if (path === undefined) return { error: `invalid URL escape ${quote(/%(?![0-9a-fA-F]{2}).{0,2}/s.exec(rawPath)![0])} in the path ${quote(rawPath)}` };
  const clean = cleanPath(path);
  if (clean !== path) return { redirect: escapePath(clean) + (rawQuery === '' ? '' : `?${rawQuery}`) };
  return { target: { path, rawQuery } };
}

/** Go's ServeMux cleanPath: path.Clean, keeping a trailing slash. */
export function cleanPath(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  const clean = '/' + out.join('/');
  return path.endsWith('/') && clean !== '/' ? clean + '/' : clean;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 100 ? `${s.slice(0, 97)}...` : s);
}
