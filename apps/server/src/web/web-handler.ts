import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createHttpServer, type RequestTarget, type TargetListener } from '@pyrometer/http-server';
import type { AnchoredRegex } from '@pyrometer/model';
import type { Logger } from '@pyrometer/telemetry';
import { sendText } from './response.js';
import type { Router } from './router.js';
import { tlsServerOptions, webConfigGate, type WebConfig } from '@pyrometer/web-config';

export interface WebHandlerOptions {
  /** Path prefix every route lives under (from `--web.route-prefix` / `--web.external-url`), e.g. "" or "/prometheus". */
  routePrefix: string;
  /** `--web.cors.origin`; `.*` answers `Access-Control-Allow-Origin: *`. */
  corsOrigin: AnchoredRegex;
}

/**
 * The server's request listener (behind @pyrometer/http-server, which has decoded and cleaned the
 * path and applied the web config, see {@link createWebServer}): strips the route prefix, sets
 * CORS headers on `/api/v1/*` as upstream's `httputil.SetCORS`, and dispatches to the router on
 * the decoded path (405 for a known path with the wrong method, 404 otherwise). A handler that
 * fails is logged and answered 500 by the caller.
 */
export function webHandler(router: Router, options: WebHandlerOptions): TargetListener {
  return (req, res, target) => {
    const path = withoutPrefix(target.path, options.routePrefix);
    if (path === undefined) return sendText(req, res, 404, '404 page not found\n');
    const method = req.method ?? 'GET';
    if (path.startsWith('/api/v1/')) {
      setCors(req, res, options.corsOrigin);
      if (method === 'OPTIONS') {
        res.writeHead(204);
        res.end();
        return;
      }
    }
    const match = router.match(method, path);
    if (match === undefined) return sendText(req, res, 404, '404 page not found\n');
    if (match === 'method') return sendText(req, res, 405, 'Method Not Allowed\n');
    return match.handler({ req, res, url: requestUrl(target), params: match.params });
  };
}

/** The path below the route prefix (`/` for the prefix itself), or undefined outside it. */
export function withoutPrefix(path: string, routePrefix: string): string | undefined {
  if (routePrefix === '') return path;
  if (path !== routePrefix && !path.startsWith(routePrefix + '/')) return undefined;
  return path.slice(routePrefix.length) || '/';
}

/** The request as a URL for handlers (its query is what FormParams reads); built from the clean target, so it cannot throw. */
function requestUrl(target: RequestTarget): URL {
  const url = new URL('http://localhost/');
  url.search = target.rawQuery.replace(/#/g, '%23');
  return url;
}

function setCors(req: IncomingMessage, res: ServerResponse, origin: AnchoredRegex): void {
  res.setHeader('Vary', 'Origin');
  const requestOrigin = req.headers.origin;
  if (requestOrigin === undefined) return;
  res.setHeader('Access-Control-Allow-Headers', 'Accept, Authorization, Content-Type, Origin');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Expose-Headers', 'Date');
  if (origin.source === '.*') res.setHeader('Access-Control-Allow-Origin', '*');
  else if (origin.matches(requestOrigin)) res.setHeader('Access-Control-Allow-Origin', requestOrigin);
}

/**
 * An HTTP server, or HTTPS when the web config has `tls_server_config` (see @pyrometer/http-server
 * for what every request gets). The web config's headers and basic auth apply to every request
 * before it is redirected or routed, as exporter-toolkit wraps upstream's handler.
 */
export function createWebServer(listener: TargetListener, webConfig: WebConfig | undefined, logger: Logger): Server {
  const tls = tlsServerOptions(webConfig);
  return createHttpServer(listener, { logger, authorize: webConfigGate(webConfig), ...(tls === undefined ? {} : { tls }) });
}
