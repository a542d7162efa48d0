/**
 * The path under which the serving app is reached, without a trailing slash ('' at the root):
 * the `<base href>` the app wrote into index.html. Routes and API calls are relative to it.
 */
export function basePath(): string {
  return new URL(document.baseURI).pathname.replace(/\/+$/, '');
}

/** An absolute URL path for a path relative to the app (e.g. `api/v1/query`). */
export function appUrl(relative: string): string {
  return `${basePath()}/${relative.replace(/^\/+/, '')}`;
}
