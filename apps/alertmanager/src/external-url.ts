import { hostname } from 'node:os';

/**
 * Upstream's `extURL`: the `--web.external-url`, or `http://<hostname>:<port>/` from the listen
 * address; only http and https; the path loses its trailing slash. Throws with upstream's message.
 */
export function externalUrl(flag: string, listenAddress: string): URL {
  const text = flag !== '' ? flag : `http://${hostname()}:${listenAddress.slice(listenAddress.lastIndexOf(':') + 1)}/`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new Error(`failed to determine external URL: parse ${JSON.stringify(text)}: invalid URL`);
  }
  const scheme = u.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https') throw new Error(`failed to determine external URL: ${JSON.stringify(text)}: invalid ${JSON.stringify(scheme)} scheme, only 'http' and 'https' are supported`);
  u.pathname = u.pathname.replace(/\/+$/, '');
  return u;
}

/** `--web.route-prefix`, or the external URL's path: `/` or `/prefix` (no trailing slash). */
export function routePrefix(flag: string, external: URL): string {
  const p = flag !== '' ? flag : external.pathname;
  return '/' + p.replace(/^\/+|\/+$/g, '');
}

/** The URL as upstream prints it in templates and payloads (`u.String()`, no trailing `/` for an empty path). */
export function formatExternalUrl(u: URL): string {
  const s = u.toString();
  return u.pathname === '/' && !s.endsWith('/?') ? s.replace(/\/$/, '') : s;
}
