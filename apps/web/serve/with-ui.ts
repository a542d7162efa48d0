import type { RequestListener } from 'node:http';
import { createUiHandler, type UiHandlerOptions } from './ui-handler.js';

/**
 * A request listener that answers the UI's pages (GET and HEAD under `routePrefix`) and hands
 * everything else to `next`: how an app whose routing is a plain listener (the Pushgateway, the
 * Alertmanager) mounts the UI at its `/`.
 */
export function withUi(next: RequestListener, options: UiHandlerOptions & { routePrefix: string }): RequestListener {
  const ui = createUiHandler(options);
  const prefix = options.routePrefix.replace(/\/+$/, '');
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const inApp = prefix === '' ? path : path === prefix ? '/' : path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : undefined;
    if ((req.method === 'GET' || req.method === 'HEAD') && inApp !== undefined && ui.handles(inApp)) ui.serve(req, res, inApp);
    else next(req, res);
  };
}
