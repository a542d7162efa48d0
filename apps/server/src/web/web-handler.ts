import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AnchoredRegex } from '@pyrometer/model';
import type { Logger } from '@pyrometer/telemetry';
import { sendText } from './response.js';
import type { Router } from './router.js';
import { BasicAuth, tlsServerOptions, type WebConfig } from '@pyrometer/web-config';

export interface WebHandlerOptions {
  /** Path prefix every route lives under (from `--web.route-prefix` / `--web.external-url`), e.g. "" or "/prometheus". */
  routePrefix: string;
  /** `--web.cors.origin`; `.*` answers `Access-Control-Allow-Origin: *`. */
  corsOrigin: AnchoredRegex;
  webConfig: WebConfig | undefined;
  logger: Logger;
}

/**
 * The server's request listener: strips the route prefix, applies basic auth from the web config,
 * CORS headers on `/api/v1/*` as upstream's `httputil.SetCORS`, dispatches to the router (405 for a
 * known path with the wrong method, 404 otherwise) and turns a handler crash into a logged 500.
 */
export function webHandler(router: Router, options: WebHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const auth = new BasicAuth(options.webConfig?.basicAuthUsers ?? new Map());
  const extraHeaders = options.webConfig?.headers ?? {};
  return (req, res) => {
    for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
    if (!auth.check(req.headers.authorization)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Unauthorized\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path = url.pathname;
    if (options.routePrefix !== '') {
      if (path !== options.routePrefix && !path.startsWith(options.routePrefix + '/')) return sendText(req, res, 404, '404 page not found\n');
      path = path.slice(options.routePrefix.length) || '/';
    }
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
    Promise.resolve(match.handler({ req, res, url, params: match.params })).catch((err: unknown) => {
      options.logger.error('request failed', { path, method, err: err as Error });
      if (!res.headersSent) sendText(req, res, 500, `internal error: ${(err as Error).message}\n`);
      else res.destroy();
    });
  };
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

/** An HTTP server, or HTTPS when the web config has `tls_server_config`. */
export function createWebServer(listener: (req: IncomingMessage, res: ServerResponse) => void, webConfig: WebConfig | undefined): Server {
  const tls = tlsServerOptions(webConfig);
  return tls === undefined ? createHttpServer(listener) : createHttpsServer(tls, listener);
}
