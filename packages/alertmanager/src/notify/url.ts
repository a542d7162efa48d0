/**
 * Go's `URL.JoinPath(path)` for one relative path: `path` after the URL's path with exactly one
 * `/` between them; the query is kept.
 */
export function joinPath(base: string, path: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path}`;
  return url.toString();
}
